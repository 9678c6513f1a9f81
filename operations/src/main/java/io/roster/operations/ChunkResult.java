package io.roster.operations;

import io.roster.persistence.Jobs.RowError;
import java.util.List;

/** What a chunk of a bulk operation did: the users it changed (or found already as asked), the others' errors. */
public record ChunkResult(int succeeded, List<RowError> errors) {
}
