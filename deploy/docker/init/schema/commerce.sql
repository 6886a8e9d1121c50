-- The example schema of the unsharded keyspace commerce.
CREATE TABLE IF NOT EXISTS product (
  sku VARBINARY(128) NOT NULL,
  description VARBINARY(128),
  price BIGINT,
  PRIMARY KEY (sku)
) ENGINE=InnoDB;
