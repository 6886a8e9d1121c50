package io.tessera.tablet.flavor;

/**
 * {@code SHOW ALL SLAVES STATUS\G} as MariaDB 10.11.19 printed it for a replica of a primary with server_id 100,
 * in three states. Kept verbatim (trailing spaces aside) so the parser is tested against real output.
 */
final class MariadbStatusFixtures {
    private MariadbStatusFixtures() {}

    /** The replica has just been pointed at its primary with a wrong password: connecting, retrying, error 1045. */
    static final String CONNECTING_ACCESS_DENIED = """
            *************************** 1. row ***************************
                           Connection_name:
                           Slave_SQL_State: Slave has read all relay log; waiting for more updates
                            Slave_IO_State: Connecting to master
                               Master_Host: 127.0.0.1
                               Master_User: repl
                               Master_Port: 27100
                             Connect_Retry: 1
                           Master_Log_File:
                       Read_Master_Log_Pos: 4
                            Relay_Log_File: relay.000001
                             Relay_Log_Pos: 4
                     Relay_Master_Log_File:
                          Slave_IO_Running: Connecting
                         Slave_SQL_Running: Yes
                           Replicate_Do_DB:
                       Replicate_Ignore_DB:
                        Replicate_Do_Table:
                    Replicate_Ignore_Table:
                   Replicate_Wild_Do_Table:
               Replicate_Wild_Ignore_Table:
                                Last_Errno: 0
                                Last_Error:
                              Skip_Counter: 0
                       Exec_Master_Log_Pos: 4
                           Relay_Log_Space: 256
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
                             Last_IO_Errno: 1045
                             Last_IO_Error: error connecting to master 'repl@127.0.0.1:27100' - retry-time: 1  maximum-retries: 100000  message: Access denied for user 'repl'@'127.0.0.1' (using password: YES)
                            Last_SQL_Errno: 0
                            Last_SQL_Error:
               Replicate_Ignore_Server_Ids:
                          Master_Server_Id: 0
                            Master_SSL_Crl:
                        Master_SSL_Crlpath:
                                Using_Gtid: Slave_Pos
                               Gtid_IO_Pos:
                   Replicate_Do_Domain_Ids:
               Replicate_Ignore_Domain_Ids:
                             Parallel_Mode: optimistic
                                 SQL_Delay: 0
                       SQL_Remaining_Delay: NULL
                   Slave_SQL_Running_State: Slave has read all relay log; waiting for more updates
                          Slave_DDL_Groups: 0
            Slave_Non_Transactional_Groups: 0
                Slave_Transactional_Groups: 0
                      Replicate_Rewrite_DB:
                      Retried_transactions: 0
                        Max_relay_log_size: 1073741824
                      Executed_log_entries: 1
                 Slave_received_heartbeats: 0
                    Slave_heartbeat_period: 1.500
                            Gtid_Slave_Pos:
            """;

    /** Replicating and caught up at 0-100-8. */
    static final String RUNNING = """
            *************************** 1. row ***************************
                           Connection_name:
                           Slave_SQL_State: Slave has read all relay log; waiting for more updates
                            Slave_IO_State: Waiting for master to send event
                               Master_Host: 127.0.0.1
                               Master_User: repl
                               Master_Port: 27100
                             Connect_Retry: 1
                           Master_Log_File: binlog.000001
                       Read_Master_Log_Pos: 1716
                            Relay_Log_File: relay.000002
                             Relay_Log_Pos: 2012
                     Relay_Master_Log_File: binlog.000001
                          Slave_IO_Running: Yes
                         Slave_SQL_Running: Yes
                           Replicate_Do_DB:
                       Replicate_Ignore_DB:
                        Replicate_Do_Table:
                    Replicate_Ignore_Table:
                   Replicate_Wild_Do_Table:
               Replicate_Wild_Ignore_Table:
                                Last_Errno: 0
                                Last_Error:
                              Skip_Counter: 0
                       Exec_Master_Log_Pos: 1716
                           Relay_Log_Space: 2311
                           Until_Condition: None
                            Until_Log_File:
                             Until_Log_Pos: 0
                        Master_SSL_Allowed: No
                        Master_SSL_CA_File:
                        Master_SSL_CA_Path:
                           Master_SSL_Cert:
                         Master_SSL_Cipher:
                            Master_SSL_Key:
                     Seconds_Behind_Master: 0
             Master_SSL_Verify_Server_Cert: No
                             Last_IO_Errno: 0
                             Last_IO_Error:
                            Last_SQL_Errno: 0
                            Last_SQL_Error:
               Replicate_Ignore_Server_Ids:
                          Master_Server_Id: 100
                            Master_SSL_Crl:
                        Master_SSL_Crlpath:
                                Using_Gtid: Slave_Pos
                               Gtid_IO_Pos: 0-100-8
                   Replicate_Do_Domain_Ids:
               Replicate_Ignore_Domain_Ids:
                             Parallel_Mode: optimistic
                                 SQL_Delay: 0
                       SQL_Remaining_Delay: NULL
                   Slave_SQL_Running_State: Slave has read all relay log; waiting for more updates
                          Slave_DDL_Groups: 5
            Slave_Non_Transactional_Groups: 0
                Slave_Transactional_Groups: 3
                      Replicate_Rewrite_DB:
                      Retried_transactions: 0
                        Max_relay_log_size: 1073741824
                      Executed_log_entries: 33
                 Slave_received_heartbeats: 0
                    Slave_heartbeat_period: 30.000
                            Gtid_Slave_Pos: 0-100-8
            """;

    /**
     * The SQL thread stopped on a duplicate key (a row written on the replica behind replication's back); the IO
     * thread kept receiving, so the relay log is one transaction ahead of what was applied.
     */
    static final String SQL_THREAD_STOPPED_ON_ERROR = """
            *************************** 1. row ***************************
                           Connection_name:
                           Slave_SQL_State:
                            Slave_IO_State: Waiting for master to send event
                               Master_Host: 127.0.0.1
                               Master_User: repl
                               Master_Port: 27100
                             Connect_Retry: 1
                           Master_Log_File: binlog.000001
                       Read_Master_Log_Pos: 2122
                            Relay_Log_File: relay.000002
                             Relay_Log_Pos: 2215
                     Relay_Master_Log_File: binlog.000001
                          Slave_IO_Running: Yes
                         Slave_SQL_Running: No
                           Replicate_Do_DB:
                       Replicate_Ignore_DB:
                        Replicate_Do_Table:
                    Replicate_Ignore_Table:
                   Replicate_Wild_Do_Table:
               Replicate_Wild_Ignore_Table:
                                Last_Errno: 1062
                                Last_Error: Could not execute Write_rows_v1 event on table t.a; Duplicate entry '200' for key 'PRIMARY', Error_code: 1062; handler error HA_ERR_FOUND_DUPP_KEY; the event's master log binlog.000001, end_log_pos 2091
                              Skip_Counter: 0
                       Exec_Master_Log_Pos: 1919
                           Relay_Log_Space: 2717
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
                             Last_IO_Errno: 0
                             Last_IO_Error:
                            Last_SQL_Errno: 1062
                            Last_SQL_Error: Could not execute Write_rows_v1 event on table t.a; Duplicate entry '200' for key 'PRIMARY', Error_code: 1062; handler error HA_ERR_FOUND_DUPP_KEY; the event's master log binlog.000001, end_log_pos 2091
               Replicate_Ignore_Server_Ids:
                          Master_Server_Id: 100
                            Master_SSL_Crl:
                        Master_SSL_Crlpath:
                                Using_Gtid: Slave_Pos
                               Gtid_IO_Pos: 0-100-10
                   Replicate_Do_Domain_Ids:
               Replicate_Ignore_Domain_Ids:
                             Parallel_Mode: optimistic
                                 SQL_Delay: 0
                       SQL_Remaining_Delay: NULL
                   Slave_SQL_Running_State:
                          Slave_DDL_Groups: 5
            Slave_Non_Transactional_Groups: 0
                Slave_Transactional_Groups: 5
                      Replicate_Rewrite_DB:
                      Retried_transactions: 0
                        Max_relay_log_size: 1073741824
                      Executed_log_entries: 42
                 Slave_received_heartbeats: 0
                    Slave_heartbeat_period: 30.000
                            Gtid_Slave_Pos: 0-100-9
            """;
}
