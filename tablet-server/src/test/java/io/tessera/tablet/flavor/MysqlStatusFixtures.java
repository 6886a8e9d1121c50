package io.tessera.tablet.flavor;

/**
 * Replication status rows in the layout of MySQL's {@code SHOW REPLICA STATUS\G} (8.0.22 and later, new column
 * names) and {@code SHOW SLAVE STATUS\G} (5.7, old names), with every column those releases print.
 */
final class MysqlStatusFixtures {
    private MysqlStatusFixtures() {}

    static final String SOURCE_UUID = "8a94f357-aab4-11df-86ab-c80aa9429562";
    static final String REPLICA_UUID = "5b8c1e2f-aab4-11df-86ab-c80aa9429562";

    /**
     * An 8.0 replica with the relay log ahead of the applier: it received 1-120 from its source, applied 1-115,
     * and also holds 1-3 from a source it had before. Executed_Gtid_Set spans two lines, as MySQL prints it.
     */
    static final String MYSQL80_APPLYING = """
            *************************** 1. row ***************************
                         Replica_IO_State: Waiting for source to send event
                              Source_Host: db-101.example.internal
                              Source_User: vt_repl
                              Source_Port: 17101
                            Connect_Retry: 10
                          Source_Log_File: binlog.000007
                      Read_Source_Log_Pos: 98123
                           Relay_Log_File: relay.000004
                            Relay_Log_Pos: 45012
                    Relay_Source_Log_File: binlog.000007
                       Replica_IO_Running: Yes
                      Replica_SQL_Running: Yes
                          Replicate_Do_DB:
                      Replicate_Ignore_DB:
                       Replicate_Do_Table:
                   Replicate_Ignore_Table:
                  Replicate_Wild_Do_Table:
              Replicate_Wild_Ignore_Table:
                               Last_Errno: 0
                               Last_Error:
                             Skip_Counter: 0
                      Exec_Source_Log_Pos: 91544
                          Relay_Log_Space: 52210
                          Until_Condition: None
                           Until_Log_File:
                            Until_Log_Pos: 0
                       Source_SSL_Allowed: Yes
                       Source_SSL_CA_File:
                       Source_SSL_CA_Path:
                          Source_SSL_Cert:
                        Source_SSL_Cipher:
                           Source_SSL_Key:
                    Seconds_Behind_Source: 3
            Source_SSL_Verify_Server_Cert: No
                            Last_IO_Errno: 0
                            Last_IO_Error:
                           Last_SQL_Errno: 0
                           Last_SQL_Error:
              Replicate_Ignore_Server_Ids:
                         Source_Server_Id: 101
                              Source_UUID: 8a94f357-aab4-11df-86ab-c80aa9429562
                         Source_Info_File: mysql.slave_master_info
                                SQL_Delay: 0
                      SQL_Remaining_Delay: NULL
                Replica_SQL_Running_State: Waiting for dependent transaction to commit
                       Source_Retry_Count: 86400
                              Source_Bind:
                  Last_IO_Error_Timestamp:
                 Last_SQL_Error_Timestamp:
                           Source_SSL_Crl:
                       Source_SSL_Crlpath:
                       Retrieved_Gtid_Set: 8a94f357-aab4-11df-86ab-c80aa9429562:100-120
                        Executed_Gtid_Set: 5b8c1e2f-aab4-11df-86ab-c80aa9429562:1-3,
            8a94f357-aab4-11df-86ab-c80aa9429562:1-115
                            Auto_Position: 1
                     Replicate_Rewrite_DB:
                             Channel_Name:
                       Source_TLS_Version:
                   Source_public_key_path:
                    Get_Source_public_key: 1
                        Network_Namespace:
            """;

    /** A 5.7 replica whose IO thread stopped because the source purged the binlogs it needs. */
    static final String MYSQL57_IO_ERROR = """
            *************************** 1. row ***************************
                           Slave_IO_State:
                              Master_Host: 10.0.0.12
                              Master_User: repl
                              Master_Port: 3306
                            Connect_Retry: 60
                          Master_Log_File: mysql-bin.000031
                      Read_Master_Log_Pos: 194
                           Relay_Log_File: relay-bin.000002
                            Relay_Log_Pos: 367
                    Relay_Master_Log_File: mysql-bin.000031
                         Slave_IO_Running: No
                        Slave_SQL_Running: Yes
                          Replicate_Do_DB: app
                      Replicate_Ignore_DB:
                       Replicate_Do_Table:
                   Replicate_Ignore_Table:
                  Replicate_Wild_Do_Table:
              Replicate_Wild_Ignore_Table:
                               Last_Errno: 0
                               Last_Error:
                             Skip_Counter: 0
                      Exec_Master_Log_Pos: 194
                          Relay_Log_Space: 574
                          Until_Condition: None
                           Until_Log_File:
                            Until_Log_Pos: 0
                       Master_SSL_Allowed: No
                       Master_SSL_CA_File:
                       Master_SSL_CA_Path:
                          Master_SSL_Cert:
                        Master_SSL_Cipher:
                           Master_SSL_Key:
                    Seconds_Behind_Master: NULL
            Master_SSL_Verify_Server_Cert: No
                            Last_IO_Errno: 1236
                            Last_IO_Error: Got fatal error 1236 from master when reading data from binary log: 'The slave is connecting using CHANGE MASTER TO MASTER_AUTO_POSITION = 1, but the master has purged binary logs containing GTIDs that the slave requires.'
                           Last_SQL_Errno: 0
                           Last_SQL_Error:
              Replicate_Ignore_Server_Ids:
                         Master_Server_Id: 12
                              Master_UUID: 8a94f357-aab4-11df-86ab-c80aa9429562
                         Master_Info_File: /var/lib/mysql/master.info
                                SQL_Delay: 3600
                      SQL_Remaining_Delay: NULL
                  Slave_SQL_Running_State: Slave has read all relay log; waiting for more updates
                       Master_Retry_Count: 86400
                              Master_Bind:
                  Last_IO_Error_Timestamp: 240312 10:04:51
                 Last_SQL_Error_Timestamp:
                           Master_SSL_Crl:
                       Master_SSL_Crlpath:
                       Retrieved_Gtid_Set:
                        Executed_Gtid_Set: 8a94f357-aab4-11df-86ab-c80aa9429562:1-57
                            Auto_Position: 1
                     Replicate_Rewrite_DB:
                             Channel_Name:
                       Master_TLS_Version:
            """;
}
