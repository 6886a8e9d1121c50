-- Keyspace customer (sharded -80 / 80-): every shard holds both tables, each shard its own rows.
CREATE TABLE IF NOT EXISTS customer (
  customer_id BIGINT NOT NULL AUTO_INCREMENT,
  email VARBINARY(128),
  PRIMARY KEY (customer_id)
) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS corder (
  order_id BIGINT NOT NULL AUTO_INCREMENT,
  customer_id BIGINT,
  sku VARBINARY(128),
  price BIGINT,
  PRIMARY KEY (order_id)
) ENGINE=InnoDB;
