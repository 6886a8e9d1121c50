package io.tessera.tablet.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletType;
import io.tessera.tablet.manager.ServingState;
import io.tessera.topo.topoproto.TabletAliases;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the hub tells the query service that the tablet stopped serving its type, and when not. */
class TabletStateHubTest {
    private static ServingState state(TabletType type, boolean serving) {
        Tablet tablet = Tablet.newBuilder().setAlias(TabletAliases.parse("zone1-100")).setKeyspace("commerce")
                .setShard("0").setType(type).build();
        return new ServingState(tablet, serving, serving ? "" : "not now", List.of(), false);
    }

    @Test
    void sessionsEndWhenTheTabletStopsServingOrChangesType() {
        TabletStateHub hub = new TabletStateHub(state(TabletType.REPLICA, false));
        List<String> stops = new ArrayList<>();
        hub.onStopServing(stops::add);

        hub.stateChanged(state(TabletType.REPLICA, true));
        hub.stateChanged(state(TabletType.REPLICA, true));
        assertThat(stops).isEmpty();

        hub.stateChanged(state(TabletType.REPLICA, false));
        assertThat(stops).hasSize(1);
        assertThat(stops.get(0)).contains("stopped serving").contains("not now");
        // Already not serving: nothing more to end.
        hub.stateChanged(state(TabletType.REPLICA, false));
        assertThat(stops).hasSize(1);

        hub.stateChanged(state(TabletType.REPLICA, true));
        hub.stateChanged(state(TabletType.PRIMARY, true));
        assertThat(stops).hasSize(2);
        assertThat(stops.get(1)).contains("REPLICA").contains("PRIMARY");
        // The state is published before the hook runs, so new requests are judged by it already.
        hub.onStopServing(reason -> assertThat(hub.current().type()).isEqualTo(TabletType.REPLICA));
        hub.stateChanged(state(TabletType.REPLICA, true));
        assertThat(stops).hasSize(3);
    }
}
