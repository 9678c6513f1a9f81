package io.roster.gateway.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roster.operations.Refusal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of an operation's refusal is answered with its status, the code as the type and the field named. */
class RefusalHandlerTest {

    @Test
    void eachKindHasItsStatusAndNamesTheField() {
        ProblemException lastAdmin = RefusalHandler.problem(new Refusal(Refusal.Kind.UNPROCESSABLE, "last-admin",
                "role", "this is the organization's last admin"));
        assertEquals(422, lastAdmin.status().getCode());
        assertEquals("/problems/last-admin", lastAdmin.problem().type());
        assertEquals(List.of(new Problem.FieldError("role", "this is the organization's last admin")),
                lastAdmin.problem().errors());

        ProblemException ceiling = RefusalHandler.problem(new Refusal(Refusal.Kind.FORBIDDEN, "role-not-allowed",
                "role", "you cannot give a role above your own (Staff)"));
        assertEquals(403, ceiling.status().getCode());
        assertEquals("/problems/role-not-allowed", ceiling.problem().type());
        assertEquals("role", ceiling.problem().errors().get(0).field());

        ProblemException missing = RefusalHandler.problem(new Refusal(Refusal.Kind.NOT_FOUND, "not-found", null,
                "User 1"));
        assertEquals(404, missing.status().getCode());
        assertEquals(List.of(), missing.problem().errors());
    }
}
