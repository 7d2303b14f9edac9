package io.mcpwarden.launcher;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns framework failures into one-line messages that name the bundle and the missing package or service.
 * The component runtime is queried reflectively: its API lives inside the framework, not on this class path.
 */
final class Diagnostics {
    private static final Pattern MISSING = Pattern.compile(
            "missing requirement \\[(\\S+) \\[\\d+\\][^\\]]*\\] (\\S+); (\\(.*?\\))(?= \\[caused by|\\]| Unresolved|$)");
    private static final Pattern PACKAGE = Pattern.compile("osgi\\.wiring\\.package=([^)]+)\\)(?:\\(version>=([^)]+)\\))?");
    private static final String SCR_API = "org.osgi.service.component.runtime.ServiceComponentRuntime";

    private Diagnostics() {
    }

    /**
     * Condenses a Felix resolution message to its root cause, e.g. {@code bundle warden-pipeline needs package
     * io.mcpwarden.flow (version >= 0.1.0), which no installed bundle exports}.
     */
    static String explainStartFailure(String bundleName, String message) {
        if (message == null) {
            return "bundle " + bundleName + " cannot start";
        }
        Matcher m = MISSING.matcher(message);
        String who = null;
        String namespace = null;
        String filter = null;
        while (m.find()) { // the last one is the deepest cause
            who = m.group(1);
            namespace = m.group(2);
            filter = m.group(3);
        }
        if (who == null) {
            return "bundle " + bundleName + " cannot start: " + message.replaceAll("\\s+", " ");
        }
        String need;
        Matcher p = PACKAGE.matcher(filter);
        if ("osgi.wiring.package".equals(namespace) && p.find()) {
            need = "package " + p.group(1) + (p.group(2) == null ? "" : " (version >= " + p.group(2) + ")")
                    + ", which no installed bundle exports";
        } else if ("osgi.extender".equals(namespace)) {
            need = "extender " + filter + ", which no installed bundle provides";
        } else {
            need = namespace + " " + filter;
        }
        String via = who.equals(bundleName) ? "" : " (through bundle " + who + ")";
        return "bundle " + bundleName + " cannot start" + via + ": " + who + " needs " + need;
    }

    /**
     * Why the command-line component did not come up: every declarative component that is not active,
     * with its unsatisfied references, one line each; empty when the component runtime cannot tell.
     */
    static List<String> unsatisfiedComponents(BundleContext ctx) {
        List<String> lines = new ArrayList<>();
        try {
            ServiceReference<?>[] refs = ctx.getAllServiceReferences(SCR_API, null);
            if (refs == null || refs.length == 0) {
                lines.add("the component runtime (bundle org.apache.felix.scr) is not active");
                return lines;
            }
            Object scr = ctx.getService(refs[0]);
            ClassLoader cl = scr.getClass().getClassLoader();
            Class<?> api = cl.loadClass(SCR_API);
            Class<?> descType = cl.loadClass("org.osgi.service.component.runtime.dto.ComponentDescriptionDTO");
            Method descs = api.getMethod("getComponentDescriptionDTOs", Bundle[].class);
            Method configs = api.getMethod("getComponentConfigurationDTOs", descType);
            Method enabled = api.getMethod("isComponentEnabled", descType);
            for (Object d : (Collection<?>) descs.invoke(scr, (Object) new Bundle[0])) {
                String name = (String) field(d, "name");
                String bundle = (String) field(field(d, "bundle"), "symbolicName");
                if (!(Boolean) enabled.invoke(scr, d)) {
                    lines.add("component " + name + " (bundle " + bundle + ") is disabled");
                    continue;
                }
                for (Object c : (Collection<?>) configs.invoke(scr, d)) {
                    int state = (Integer) field(c, "state");
                    if (state == 8 || state == 4) { // ACTIVE, SATISFIED
                        continue;
                    }
                    lines.add("component " + name + " (bundle " + bundle + ") " + describeState(d, c, state));
                }
            }
            ctx.ungetService(refs[0]);
        } catch (ReflectiveOperationException | org.osgi.framework.InvalidSyntaxException | RuntimeException e) {
            lines.add("cannot query the component runtime: " + e);
        }
        return lines;
    }

    private static String describeState(Object desc, Object config, int state) throws ReflectiveOperationException {
        if (state == 16) { // FAILED_ACTIVATION
            Object failure = field(config, "failure");
            return "failed to activate: " + (failure == null ? "unknown error" : firstLine(failure.toString()));
        }
        if (state == 1) {
            return "waits for its configuration";
        }
        List<String> missing = new ArrayList<>();
        Object unsatisfied = field(config, "unsatisfiedReferences");
        Object refs = field(desc, "references");
        for (int i = 0; unsatisfied != null && i < Array.getLength(unsatisfied); i++) {
            Object u = Array.get(unsatisfied, i);
            String refName = (String) field(u, "name");
            String iface = refName;
            for (int j = 0; refs != null && j < Array.getLength(refs); j++) {
                Object r = Array.get(refs, j);
                if (refName.equals(field(r, "name"))) {
                    iface = (String) field(r, "interfaceName");
                }
            }
            Object target = field(u, "target");
            missing.add("service " + iface + (target == null ? "" : " " + target) + " (reference '" + refName + "')");
        }
        return missing.isEmpty() ? "is not satisfied (state " + state + ")"
                : "is missing " + String.join(", ", missing) + "; no active bundle provides it";
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        return o.getClass().getField(name).get(o);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
