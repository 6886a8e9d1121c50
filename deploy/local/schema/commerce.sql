-- Keyspace commerce (unsharded): the product catalogue.
CREATE TABLE IF NOT EXISTS product (
  sku VARBINARY(128) NOT NULL,
  description VARBINARY(128),
  price BIGINT,
  PRIMARY KEY (sku)
) ENGINE=InnoDB;
