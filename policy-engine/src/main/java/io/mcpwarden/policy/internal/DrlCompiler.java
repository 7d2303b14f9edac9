package io.mcpwarden.policy.internal;

import io.mcpwarden.policy.RuleError;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.KiePackage;
import org.kie.api.runtime.KieContainer;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compiles a complete set of DRL files into a new KieBase with the bundle's class loader (which sees the
 * embedded Drools, {@code io.mcpwarden.model} and {@code io.mcpwarden.policy.facts}).
 */
final class DrlCompiler {
    private static final String SRC = "src/main/resources/";
    private static final AtomicLong BUILDS = new AtomicLong();
    private static volatile KieServices services;

    private DrlCompiler() {
    }

    static ClassLoader loader() {
        return DrlCompiler.class.getClassLoader();
    }

    /**
     * KieServices is found by ServiceLoader on the thread context class loader, and a miss is cached forever:
     * look it up once with the bundle's loader as TCCL.
     */
    static KieServices services() {
        KieServices s = services;
        if (s == null) {
            synchronized (DrlCompiler.class) {
                s = services;
                if (s == null) {
                    s = withBundleLoader(KieServices.Factory::get);
                    services = s;
                }
            }
        }
        return s;
    }

    static <T> T withBundleLoader(java.util.function.Supplier<T> body) {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(loader());
        try {
            return body.get();
        } finally {
            t.setContextClassLoader(old);
        }
    }

    /** Compiles the files (name relative to the rules directory → content). Never throws for bad DRL. */
    static CompiledRules compile(SortedMap<String, byte[]> files) {
        String hash = Hashes.ofFiles(files);
        return withBundleLoader(() -> {
            try {
                return doCompile(files, hash);
            } catch (RuntimeException | LinkageError e) {
                return new CompiledRules(null, hash, 0,
                        List.of(new RuleError("", 0, 0, "rule compiler failed: " + e)));
            }
        });
    }

    private static CompiledRules doCompile(SortedMap<String, byte[]> files, String hash) {
        KieServices ks = services();
        ReleaseId id = ks.newReleaseId("io.mcpwarden.rules", "ruleset-" + hash, "1." + BUILDS.incrementAndGet());
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(id);
        files.forEach((name, content) -> kfs.write(SRC + "rules/" + name, content));
        KieBuilder builder = ks.newKieBuilder(kfs, loader()).buildAll();
        List<RuleError> errors = new ArrayList<>();
        for (Message m : builder.getResults().getMessages(Message.Level.ERROR)) {
            errors.add(error(fileOf(m.getPath()), m.getLine(), m.getColumn(), m.getText()));
        }
        if (errors.size() > 1) {
            // the parser's follow-up complaint adds nothing to the error that caused it
            errors.removeIf(e -> e.message().equals("Parser returned a null Package"));
        }
        if (!errors.isEmpty()) {
            ks.getRepository().removeKieModule(id);
            return new CompiledRules(null, hash, 0, List.copyOf(errors));
        }
        KieContainer container = ks.newKieContainer(id, loader());
        try {
            KieBase base = container.getKieBase();
            int rules = 0;
            for (KiePackage p : base.getKiePackages()) {
                rules += p.getRules().size();
            }
            return new CompiledRules(base, hash, rules, List.of());
        } finally {
            ks.getRepository().removeKieModule(id);
        }
    }

    private static final java.util.regex.Pattern PARSER_PLACE =
            java.util.regex.Pattern.compile("Line (\\d+):(\\d+)");
    private static final int MAX_MESSAGE = 500;

    /**
     * One error with a 1-based line and column. The DRL parser (ANTLR) puts "Line L:C" with a 0-based column in its
     * text and may leave the message's own fields empty; the consequence compiler gives the line only.
     */
    static RuleError error(String file, int line, int column, String text) {
        String msg = text == null ? "" : text.strip();
        int nl = msg.indexOf(" Stack trace:");
        if (nl < 0) {
            nl = msg.indexOf("\n\tat ");
        }
        if (nl > 0) {
            msg = msg.substring(0, nl).strip();
        }
        if (msg.length() > MAX_MESSAGE) {
            msg = msg.substring(0, MAX_MESSAGE) + "…";
        }
        java.util.regex.Matcher m = PARSER_PLACE.matcher(msg);
        if (m.find()) {
            int l = Integer.parseInt(m.group(1));
            int c = Integer.parseInt(m.group(2)) + 1;
            if (line <= 0 || line == l) {
                line = l;
                column = Math.max(column, c);
            }
        }
        return new RuleError(file, Math.max(0, line), Math.max(0, column), msg);
    }

    private static String fileOf(String path) {
        if (path == null) {
            return "";
        }
        String p = path.startsWith(SRC) ? path.substring(SRC.length()) : path;
        return p.startsWith("rules/") ? p.substring("rules/".length()) : p;
    }
}
