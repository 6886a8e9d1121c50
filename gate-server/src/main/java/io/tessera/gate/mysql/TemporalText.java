package io.tessera.gate.mysql;

/**
 * MySQL's text forms of dates and times ({@code 2024-01-02}, {@code 2024-01-02 03:04:05.123456},
 * {@code -838:59:59.000000}, {@code 0000-00-00}) and their binary-protocol encodings, both ways.
 */
final class TemporalText {
    private TemporalText() {}

    /** A date and time of day; all zero for the zero date. */
    record DateTime(int year, int month, int day, int hour, int minute, int second, int micros) {}

    /** A time value, which may be negative and exceed 24 hours. */
    record Time(boolean negative, long hours, int minute, int second, int micros) {}

    /** Parses {@code YYYY-MM-DD} with an optional {@code  HH:MM:SS[.ffffff]}. */
    static DateTime parseDateTime(String text) {
        try {
            String s = text.trim();
            int year = Integer.parseInt(s.substring(0, 4));
            expect(s, 4, '-');
            int month = Integer.parseInt(s.substring(5, 7));
            expect(s, 7, '-');
            int day = Integer.parseInt(s.substring(8, 10));
            int hour = 0;
            int minute = 0;
            int second = 0;
            int micros = 0;
            if (s.length() > 10) {
                if (s.charAt(10) != ' ' && s.charAt(10) != 'T') {
                    throw new IllegalArgumentException("bad separator");
                }
                hour = Integer.parseInt(s.substring(11, 13));
                expect(s, 13, ':');
                minute = Integer.parseInt(s.substring(14, 16));
                expect(s, 16, ':');
                second = Integer.parseInt(s.substring(17, 19));
                micros = fraction(s, 19);
            }
            return new DateTime(year, month, day, hour, minute, second, micros);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a MySQL date or datetime: '" + text + "'", e);
        }
    }

    /** Parses {@code [-]H+:MM:SS[.ffffff]}. */
    static Time parseTime(String text) {
        try {
            String s = text.trim();
            boolean negative = s.startsWith("-");
            if (negative) {
                s = s.substring(1);
            }
            int colon = s.indexOf(':');
            long hours = Long.parseLong(s.substring(0, colon));
            int minute = Integer.parseInt(s.substring(colon + 1, colon + 3));
            expect(s, colon + 3, ':');
            int second = Integer.parseInt(s.substring(colon + 4, colon + 6));
            int micros = fraction(s, colon + 6);
            return new Time(negative, hours, minute, second, micros);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a MySQL time: '" + text + "'", e);
        }
    }

    private static void expect(String s, int index, char c) {
        if (s.charAt(index) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + index);
        }
    }

    /** The microseconds of an optional {@code .f{1,6}} at {@code index}, which must end the text. */
    private static int fraction(String s, int index) {
        if (index == s.length()) {
            return 0;
        }
        if (s.charAt(index) != '.') {
            throw new IllegalArgumentException("unexpected text after the seconds");
        }
        String digits = s.substring(index + 1);
        if (digits.isEmpty() || digits.length() > 6 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("bad fraction");
        }
        return Integer.parseInt((digits + "000000").substring(0, 6));
    }

    /** Binary protocol DATE/DATETIME/TIMESTAMP: a length byte, then 0, 4, 7 or 11 bytes. */
    static void writeDateTime(PacketBuilder p, DateTime t, boolean dateOnly) {
        boolean zeroTime = t.hour() == 0 && t.minute() == 0 && t.second() == 0 && t.micros() == 0;
        if (t.year() == 0 && t.month() == 0 && t.day() == 0 && zeroTime) {
            p.int1(0);
            return;
        }
        if (dateOnly || zeroTime) {
            p.int1(4).int2(t.year()).int1(t.month()).int1(t.day());
            return;
        }
        p.int1(t.micros() == 0 ? 7 : 11).int2(t.year()).int1(t.month()).int1(t.day())
                .int1(t.hour()).int1(t.minute()).int1(t.second());
        if (t.micros() != 0) {
            p.int4(t.micros());
        }
    }

    /** Binary protocol TIME: a length byte, then 0, 8 or 12 bytes (sign, days, hours, minutes, seconds, micros). */
    static void writeTime(PacketBuilder p, Time t) {
        if (t.hours() == 0 && t.minute() == 0 && t.second() == 0 && t.micros() == 0) {
            p.int1(0);
            return;
        }
        p.int1(t.micros() == 0 ? 8 : 12).int1(t.negative() ? 1 : 0).int4(t.hours() / 24).int1((int) (t.hours() % 24))
                .int1(t.minute()).int1(t.second());
        if (t.micros() != 0) {
            p.int4(t.micros());
        }
    }

    /**
     * The text of a binary DATE/DATETIME/TIMESTAMP parameter of {@code length} bytes.
     *
     * @param withTime whether the parameter is a DATETIME or TIMESTAMP, whose text always has a time of day
     */
    static String readDateTime(PayloadReader r, int length, boolean withTime) {
        int year = 0;
        int month = 0;
        int day = 0;
        int hour = 0;
        int minute = 0;
        int second = 0;
        long micros = 0;
        switch (length) {
            case 0 -> { }
            case 4, 7, 11 -> {
                year = r.int2();
                month = r.int1();
                day = r.int1();
                if (length >= 7) {
                    hour = r.int1();
                    minute = r.int1();
                    second = r.int1();
                }
                if (length == 11) {
                    micros = r.int4();
                }
            }
            default -> throw new IllegalArgumentException("a date parameter has 0, 4, 7 or 11 bytes, not " + length);
        }
        String date = String.format("%04d-%02d-%02d", year, month, day);
        if (!withTime && length <= 4) {
            return date;
        }
        String time = String.format("%s %02d:%02d:%02d", date, hour, minute, second);
        return micros == 0 ? time : time + String.format(".%06d", micros);
    }

    /** The text of a binary TIME parameter of {@code length} bytes. */
    static String readTime(PayloadReader r, int length) {
        if (length == 0) {
            return "00:00:00";
        }
        if (length != 8 && length != 12) {
            throw new IllegalArgumentException("a time parameter has 0, 8 or 12 bytes, not " + length);
        }
        boolean negative = r.int1() != 0;
        long days = r.int4();
        int hour = r.int1();
        int minute = r.int1();
        int second = r.int1();
        long micros = length == 12 ? r.int4() : 0;
        String text = String.format("%s%02d:%02d:%02d", negative ? "-" : "", days * 24 + hour, minute, second);
        return micros == 0 ? text : text + String.format(".%06d", micros);
    }
}
