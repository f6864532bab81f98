package io.mutexify.model.port;

import io.mutexify.model.machine.Reply;

/** Where the Lockkeeper sends replies once they are committed: the reply queue. */
public interface ReplySink {
    void send(Reply reply);
}
