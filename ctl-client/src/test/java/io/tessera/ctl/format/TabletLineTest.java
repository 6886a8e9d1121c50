package io.tessera.ctl.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import java.util.List;
import org.junit.jupiter.api.Test;

class TabletLineTest {
    static Tablet tablet(String cell, int uid, TabletType type) {
        return Tablet.newBuilder()
                .setAlias(TabletAlias.newBuilder().setCell(cell).setUid(uid))
                .setKeyspace("commerce").setShard("0").setType(type)
                .setHostname("host1").putPortMap("grpc", 16000 + uid).putPortMap("vt", 15000 + uid)
                .setMysqlHostname("db1").setMysqlPort(17000 + uid)
                .build();
    }

    @Test
    void oneLineLikeVitess() {
        assertThat(TabletLine.of(tablet("zone1", 100, TabletType.PRIMARY)))
                .isEqualTo("zone1-0000000100 commerce 0 primary host1:16100 db1:17100 []");
        Tablet tagged = tablet("zone1", 101, TabletType.RDONLY).toBuilder()
                .putTags("rack", "r2").putTags("az", "a").build();
        assertThat(TabletLine.of(tagged))
                .isEqualTo("zone1-0000000101 commerce 0 rdonly host1:16101 db1:17101 [az:a rack:r2]");
    }

    @Test
    void missingPartsAndIpv6() {
        Tablet bare = Tablet.newBuilder().setAlias(TabletAlias.newBuilder().setCell("z").setUid(1))
                .setHostname("::1").setType(TabletType.SPARE).build();
        assertThat(TabletLine.of(bare)).isEqualTo("z-0000000001 <null> <null> spare [::1]:0 :0 []");
    }

    @Test
    void sortedByCellThenUid() {
        assertThat(TabletLine.lines(List.of(tablet("zone2", 1, TabletType.REPLICA),
                        tablet("zone1", 200, TabletType.REPLICA), tablet("zone1", 3, TabletType.REPLICA))))
                .extracting(s -> s.split(" ")[0])
                .containsExactly("zone1-0000000003", "zone1-0000000200", "zone2-0000000001");
    }
}
