package io.mcpwarden.launcher;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DiagnosticsTest {
    @Test
    void namesTheDeepestMissingPackage() {
        String felix = "Unable to resolve warden-runtime [22](R 22.0): missing requirement [warden-runtime [22](R 22.0)] "
                + "osgi.wiring.package; (&(osgi.wiring.package=io.mcpwarden.flow)(version>=0.1.0)(!(version>=1.0.0))) "
                + "[caused by: Unable to resolve warden-flow [14](R 14.0): missing requirement [warden-flow [14](R 14.0)] "
                + "osgi.wiring.package; (&(osgi.wiring.package=io.mcpwarden.capture)(version>=0.1.0)(!(version>=1.0.0)))] "
                + "Unresolved requirements: [[warden-runtime [22](R 22.0)] osgi.wiring.package; "
                + "(&(osgi.wiring.package=io.mcpwarden.flow)(version>=0.1.0)(!(version>=1.0.0)))]";
        assertEquals("bundle warden-runtime cannot start (through bundle warden-flow): warden-flow needs package "
                        + "io.mcpwarden.capture (version >= 0.1.0), which no installed bundle exports",
                Diagnostics.explainStartFailure("warden-runtime", felix));
    }

    @Test
    void namesAMissingExtender() {
        String felix = "Unable to resolve warden-runtime [21](R 21.0): missing requirement [warden-runtime [21](R 21.0)] "
                + "osgi.extender; (&(osgi.extender=osgi.component)(version>=1.5.0)(!(version>=2.0.0))) "
                + "Unresolved requirements: [[warden-runtime [21](R 21.0)] osgi.extender; "
                + "(&(osgi.extender=osgi.component)(version>=1.5.0)(!(version>=2.0.0)))]";
        assertEquals("bundle warden-runtime cannot start: warden-runtime needs extender "
                        + "(&(osgi.extender=osgi.component)(version>=1.5.0)(!(version>=2.0.0))), which no installed bundle provides",
                Diagnostics.explainStartFailure("warden-runtime", felix));
    }

    @Test
    void keepsOtherMessagesOnOneLine() {
        assertEquals("bundle x cannot start: Activator failed: boom",
                Diagnostics.explainStartFailure("x", "Activator failed:\n  boom"));
    }
}
