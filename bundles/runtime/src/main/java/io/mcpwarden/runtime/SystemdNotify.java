package io.mcpwarden.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The systemd service notification protocol (sd_notify(3)) through libsystemd, loaded with JNA: READY=1 once
 * the capture runs, WATCHDOG=1 pings for {@code WatchdogSec=}, STOPPING=1 on the way out. Inert when the process
 * was not started by systemd with {@code Type=notify} (no {@code NOTIFY_SOCKET}) or libsystemd is missing.
 */
final class SystemdNotify {
    /** The one libsystemd function used. */
    public interface LibSystemd extends Library {
        int sd_notify(int unsetEnvironment, String state);
    }

    private final LibSystemd lib;
    private final long watchdogMillis;
    private final String problem;

    private SystemdNotify(LibSystemd lib, long watchdogMillis, String problem) {
        this.lib = lib;
        this.watchdogMillis = watchdogMillis;
        this.problem = problem;
    }

    /** From the environment systemd sets: NOTIFY_SOCKET, WATCHDOG_USEC (and WATCHDOG_PID). */
    static SystemdNotify fromEnvironment() {
        String socket = System.getenv("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return new SystemdNotify(null, 0, null);
        }
        long watchdog = 0;
        String usec = System.getenv("WATCHDOG_USEC");
        String pid = System.getenv("WATCHDOG_PID");
        if (usec != null && (pid == null || pid.equals(Long.toString(ProcessHandle.current().pid())))) {
            try {
                watchdog = Math.max(1, Long.parseLong(usec.trim()) / 1000 / 2); // ping at half the timeout
            } catch (NumberFormatException e) {
                watchdog = 0;
            }
        }
        try {
            return new SystemdNotify(Native.load("systemd", LibSystemd.class), watchdog, null);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new SystemdNotify(null, 0, "NOTIFY_SOCKET is set but libsystemd cannot be loaded: " + e.getMessage());
        }
    }

    boolean active() {
        return lib != null;
    }

    /** Why notifications cannot be sent although systemd asked for them, or null. */
    String problem() {
        return problem;
    }

    /** Milliseconds between watchdog pings (half of WatchdogSec=), 0 when no watchdog is configured. */
    long watchdogMillis() {
        return lib == null ? 0 : watchdogMillis;
    }

    /** Sends one notification (e.g. {@code READY=1\nSTATUS=capturing on eth0}); false when it was not sent. */
    boolean send(String state) {
        if (lib == null) {
            return false;
        }
        try {
            return lib.sd_notify(0, state) > 0;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
