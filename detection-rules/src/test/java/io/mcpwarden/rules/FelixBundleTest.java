package io.mcpwarden.rules;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

import java.io.File;
import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy bundle in a real Felix with SCR: it resolves with Drools embedded, its DS component activates, and the
 * service compiles the shipped pack and judges an event built from the model bundle's classes.
 */
class FelixBundleTest {

    static String jar(String artifact) {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(e).getFileName().toString();
            if (name.startsWith(artifact + "-") && name.endsWith(".jar")) {
                return e;
            }
        }
        return null;
    }

    @Test
    void bundleResolvesComponentActivatesAndJudges(@TempDir Path storage) throws Exception {
        String policyJar = jar("warden-policy-engine");
        Assumptions.assumeTrue(policyJar != null, "the policy bundle jar is not on the test class path (run 'install')");
        Map<String, String> cfg = new HashMap<>();
        cfg.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        cfg.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        cfg.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA,
                "org.slf4j;version=2.0.20,org.slf4j.event;version=2.0.20,org.slf4j.helpers;version=2.0.20,"
                        + "org.slf4j.spi;version=2.0.20");
        Framework fw = new FrameworkFactory().newFramework(cfg);
        fw.start();
        try {
            BundleContext ctx = fw.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            // Jackson and SnakeYAML (the registry parser) are the framework's bundles, as in the appliance
            for (String a : List.of("org.osgi.util.function", "org.osgi.util.promise", "org.osgi.service.component",
                    "org.apache.felix.scr", "jackson-annotations", "jackson-core", "jackson-databind", "snakeyaml",
                    "jackson-dataformat-yaml", "warden-model", "warden-policy-engine")) {
                String j = jar(a);
                assertNotNull(j, a + " on the class path");
                bundles.add(ctx.installBundle(new File(j).toURI().toString()));
            }
            long t0 = System.nanoTime();
            for (Bundle b : bundles) {
                b.start();
            }
            Bundle policy = bundles.get(bundles.size() - 1);
            Bundle model = bundles.get(bundles.size() - 2);
            assertEquals(Bundle.ACTIVE, policy.getState());
            ServiceReference<?> ref = null;
            for (int i = 0; i < 500 && ref == null; i++) {
                // all references: the test's own class path also holds io.mcpwarden.policy, which the system bundle
                // does not import, so the assignability filter of getServiceReference would hide the service
                ServiceReference<?>[] refs = ctx.getAllServiceReferences("io.mcpwarden.policy.PolicyService", null);
                ref = refs == null ? null : refs[0];
                if (ref == null) {
                    Thread.sleep(10);
                }
            }
            StringBuilder states = new StringBuilder();
            for (Bundle b : bundles) {
                states.append(' ').append(b.getSymbolicName()).append('=').append(b.getState());
            }
            assertNotNull(ref, "the DS component registered PolicyService;" + states);
            Object service = ctx.getService(ref);
            long activated = System.nanoTime();

            Object check = service.getClass().getMethod("check", Path.class).invoke(service, RulePack.RULES);
            long built = System.nanoTime();
            assertEquals(true, check.getClass().getMethod("ok").invoke(check), String.valueOf(check));
            assertEquals(8, check.getClass().getMethod("rules").invoke(check));

            // open a policy and judge an MCP event made of the model bundle's classes
            ClassLoader pcl = policy.adapt(org.osgi.framework.wiring.BundleWiring.class).getClassLoader();
            Class<?> configType = pcl.loadClass("io.mcpwarden.policy.PolicyConfig");
            Object config = configType.getConstructors()[0].newInstance(RulePack.RULES, RulePack.REGISTRY, false,
                    java.time.Duration.ZERO, 100);
            Object p = service.getClass().getMethod("open", configType).invoke(service, config);
            try {
                // the registry was parsed inside the framework (Jackson YAML from the framework's bundles)
                Class<?> policyType = pcl.loadClass("io.mcpwarden.policy.Policy");
                Object registry = policyType.getMethod("registry").invoke(p);
                Object servers = pcl.loadClass("io.mcpwarden.policy.Registry").getMethod("servers").invoke(registry);
                assertEquals(2, ((List<?>) servers).size(), String.valueOf(servers));
                Class<?> flowType = model.loadClass("io.mcpwarden.model.FlowRef");
                Object flow = flowType.getConstructors()[0].newInstance(1L, "1:x", "10.0.0.5", 40000, "198.51.100.1",
                        8080, "TCP");
                Class<?> mcpType = model.loadClass("io.mcpwarden.model.McpEvent");
                Constructor<?> c = mcpType.getConstructors()[0];
                Object event = c.newInstance(1L, flow, "streamable-http", "rpc.unlisted.test:8080/rpc", null,
                        "initialize", "2025-11-25", "2025-11-25", "cli", "1", "srv", "1", null, List.of(), false,
                        List.of(), null, List.of(), List.of());
                Class<?> eventType = model.loadClass("io.mcpwarden.model.WardenEvent");
                List<?> verdicts = (List<?>) p.getClass().getMethod("judge", eventType).invoke(p, event);
                String text = verdicts.toString();
                assertTrue(text.contains("shadow-mcp-server") && text.contains("action=block"), text);
            } finally {
                ((AutoCloseable) p).close();
            }
            System.out.printf("felix: bundles started + DS component active in %d ms; first KieBase build "
                            + "(8 rules) %d ms%n", (activated - t0) / 1_000_000, (built - activated) / 1_000_000);
        } finally {
            fw.stop();
            fw.waitForStop(10_000);
        }
    }
}
