#!/bin/sh
# Initialises the example cluster once tessera-ctld and the tablets run: the keyspaces' durability policy, a
# primary for every shard and the example schema. It changes nothing that is already done, so it can run again:
# InitShardPrimary (which resets replication on every tablet of the shard) runs only for a shard without a primary,
# and the schema is created with CREATE TABLE IF NOT EXISTS.
#
# Used by deploy/docker/docker-compose.yml (service init) and, as a copy in a ConfigMap, by the Kubernetes Job in
# deploy/kubernetes/init-job.yaml. Environment: CTLD, tessera-ctld's gRPC address (default ctld:15999). The schema
# files are read from /etc/tessera/schema.
set -eu
CTLD=${CTLD:-ctld:15999}

log() { echo "init: $*"; }

log "waiting for tessera-ctld at $CTLD"
until tessera-ctl --server "$CTLD" GetKeyspaces >/dev/null 2>&1; do sleep 2; done

# The first tablet of a keyspace may already have registered it; --force accepts that, and the policy is then set
# explicitly. Reparents read it when they run, so it only has to be right before InitShardPrimary.
tessera-ctl --server "$CTLD" CreateKeyspace --force --durability-policy semi_sync commerce
tessera-ctl --server "$CTLD" SetKeyspaceDurabilityPolicy --durability-policy semi_sync commerce
tessera-ctl --server "$CTLD" CreateKeyspace --force --durability-policy semi_sync customer
tessera-ctl --server "$CTLD" SetKeyspaceDurabilityPolicy --durability-policy semi_sync customer

# InitShardPrimary needs every tablet of the shard to answer.
for alias in zone1-100 zone1-101 zone1-102 zone1-300 zone1-301 zone1-400 zone1-401; do
  log "waiting for tablet $alias"
  until tessera-ctl --server "$CTLD" PingTablet "$alias" >/dev/null 2>&1; do sleep 2; done
done

has_primary() {
  tessera-ctl --server "$CTLD" GetShard "$1" | grep -q '"primary_alias"'
}

if has_primary commerce/0; then
  log "commerce/0 already has a primary"
else
  tessera-ctl --server "$CTLD" InitShardPrimary commerce/0 zone1-100
fi
if has_primary customer/-80; then
  log "customer/-80 already has a primary"
else
  tessera-ctl --server "$CTLD" InitShardPrimary customer/-80 zone1-300
fi
if has_primary customer/80-; then
  log "customer/80- already has a primary"
else
  tessera-ctl --server "$CTLD" InitShardPrimary customer/80- zone1-400
fi

# ApplySchema runs on the primary of every shard of the keyspace; replicas get it through replication.
tessera-ctl --server "$CTLD" ApplySchema --sql-file /etc/tessera/schema/commerce.sql commerce
tessera-ctl --server "$CTLD" ApplySchema --sql-file /etc/tessera/schema/customer.sql customer

tessera-ctl --server "$CTLD" ListAllTablets zone1
log "the cluster is ready"
