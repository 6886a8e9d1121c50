package io.tessera.gate.mysql;

import io.tessera.proto.query.Field;
import java.util.List;

/**
 * What COM_STMT_PREPARE answers: the number of {@code ?} parameters and the columns the statement returns (empty
 * for statements without a result set).
 */
public record PreparedMetadata(int parameterCount, List<Field> columns) {
    public PreparedMetadata {
        if (parameterCount < 0) {
            throw new IllegalArgumentException("parameterCount < 0");
        }
        columns = List.copyOf(columns);
    }
}
