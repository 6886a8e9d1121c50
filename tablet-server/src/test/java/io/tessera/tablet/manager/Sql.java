package io.tessera.tablet.manager;

import com.google.protobuf.ByteString;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Row;
import io.tessera.proto.tabletmanagerdata.ExecuteFetchAsAppRequest;
import io.tessera.proto.tabletmanagerdata.ExecuteFetchAsDbaRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Request builders and result readers for the ExecuteFetchAs* calls in tests. */
final class Sql {
    private Sql() {}

    static ExecuteFetchAsAppRequest app(String sql) {
        return ExecuteFetchAsAppRequest.newBuilder().setQuery(ByteString.copyFromUtf8(sql)).build();
    }

    static ExecuteFetchAsDbaRequest dba(String sql) {
        return ExecuteFetchAsDbaRequest.newBuilder().setQuery(ByteString.copyFromUtf8(sql)).build();
    }

    /** The rows of a result as text, NULL as null. */
    static List<List<String>> rows(QueryResult result) {
        List<List<String>> out = new ArrayList<>();
        for (Row row : result.getRowsList()) {
            byte[] values = row.getValues().toByteArray();
            List<String> cells = new ArrayList<>();
            int offset = 0;
            for (long length : row.getLengthsList()) {
                if (length < 0) {
                    cells.add(null);
                } else {
                    cells.add(new String(values, offset, (int) length, StandardCharsets.UTF_8));
                    offset += (int) length;
                }
            }
            out.add(cells);
        }
        return out;
    }
}
