package io.mutexify.frontface;

import io.mutexify.frontface.auth.AuthRoutes;
import io.mutexify.frontface.http.ApiException;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.frontface.input.SlotIds;
import io.mutexify.frontface.keys.KeyRoutes;
import io.mutexify.frontface.locks.LockRoutes;
import io.mutexify.frontface.locks.OwnLocks;
import io.mutexify.frontface.requests.RequestRoutes;
import io.mutexify.frontface.slots.SlotRoutes;
import io.mutexify.model.auth.Identity;
import io.mutexify.model.command.Actor;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Routes an authenticated call under {@code /api/v1/} to the route class that answers it. */
final class ApiRouter {
    private final LockRoutes locks;
    private final OwnLocks ownLocks;
    private final SlotRoutes slots;
    private final RequestRoutes requests;
    private final KeyRoutes keys;
    private final AuthRoutes auth;

    ApiRouter(LockRoutes locks, OwnLocks ownLocks, SlotRoutes slots, RequestRoutes requests, KeyRoutes keys, AuthRoutes auth) {
        this.locks = locks;
        this.ownLocks = ownLocks;
        this.slots = slots;
        this.requests = requests;
        this.keys = keys;
        this.auth = auth;
    }

    /** {@code s} is the path after {@code /api/v1/} split at {@code /}; {@code m} the method, HEAD as GET. */
    CompletableFuture<ApiResponse> route(ApiRequest req, String m, String[] s, Identity who) {
        Actor actor = who.actor();
        switch (s[0]) {
            case "me":
                if (s.length == 1) {
                    return only(m, "GET", () -> auth.me(who));
                }
                if (s.length == 2 && s[1].equals("locks")) {
                    return only(m, "GET", () -> ownLocks.list(actor));
                }
                throw noRoute();
            case "keys":
                if (s.length == 1) {
                    return switch (m) {
                        case "GET" -> now(() -> keys.list(who));
                        case "POST" -> now(() -> keys.create(req, who));
                        default -> throw methodNotAllowed("GET, POST");
                    };
                }
                if (s.length == 2) {
                    return only(m, "DELETE", () -> keys.revoke(who, s[1]));
                }
                throw noRoute();
            case "locks":
                if (s.length == 2) {
                    String slot = SlotIds.require(s[1]);
                    if (m.equals("POST")) {
                        return locks.acquire(req, actor, slot);
                    }
                    return only(m, "GET", () -> locks.status(actor, slot), "POST");
                }
                if (s.length == 3) {
                    String slot = SlotIds.require(s[1]);
                    String token = s[2];
                    return switch (m) {
                        case "GET" -> now(() -> locks.get(actor, slot, token));
                        case "PUT" -> locks.extend(req, actor, slot, token);
                        case "DELETE" -> locks.release(req, actor, slot, token);
                        default -> throw methodNotAllowed("GET, PUT, DELETE");
                    };
                }
                throw noRoute();
            case "slots":
                if (s.length == 1) {
                    return switch (m) {
                        case "GET" -> slots.list(req, actor);
                        case "POST" -> slots.create(req, actor);
                        default -> throw methodNotAllowed("GET, POST");
                    };
                }
                String slot = SlotIds.require(s[1]);
                if (s.length == 2) {
                    return switch (m) {
                        case "GET" -> slots.get(req, actor, slot);
                        case "PATCH" -> slots.update(req, actor, slot);
                        case "DELETE" -> slots.delete(req, actor, slot);
                        default -> throw methodNotAllowed("GET, PATCH, DELETE");
                    };
                }
                if (s.length == 3 && s[2].equals("break")) {
                    if (!m.equals("POST")) {
                        throw methodNotAllowed("POST");
                    }
                    return slots.breakLock(req, actor, slot);
                }
                if (s.length == 3 && s[2].equals("history")) {
                    return only(m, "GET", () -> slots.history(req, actor, slot));
                }
                throw noRoute();
            case "requests":
                if (s.length == 2) {
                    return switch (m) {
                        case "GET" -> requests.get(req, actor, s[1]);
                        case "DELETE" -> now(() -> requests.cancel(actor, s[1]));
                        default -> throw methodNotAllowed("GET, DELETE");
                    };
                }
                throw noRoute();
            default:
                throw noRoute();
        }
    }

    static CompletableFuture<ApiResponse> only(String m, String method, Supplier<ApiResponse> answer, String... others) {
        if (!m.equals(method)) {
            throw methodNotAllowed(others.length == 0 ? method : method + ", " + String.join(", ", others));
        }
        return now(answer);
    }

    static CompletableFuture<ApiResponse> now(Supplier<ApiResponse> answer) {
        return CompletableFuture.completedFuture(answer.get());
    }

    static ApiException noRoute() {
        return ApiException.notFound("not_found", "no such endpoint");
    }

    static ApiException methodNotAllowed(String allow) {
        return new ApiException(405, "method_not_allowed", "this endpoint takes " + allow, java.util.Map.of("Allow", allow));
    }
}
