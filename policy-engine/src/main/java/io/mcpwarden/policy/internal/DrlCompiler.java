package io.mcpwarden.policy.internal;

import io.mcpwarden.policy.RuleError;
import org.drools.core.impl.InternalRuleBase;
import org.drools.core.impl.RuleBaseFactory;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.CompositeKnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.builder.KnowledgeBuilderResult;
import org.kie.internal.builder.ResultSeverity;
import org.kie.internal.io.ResourceFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * Compiles a complete set of DRL files into a new KieBase with the bundle's class loader (which sees the
 * embedded Drools, {@code io.mcpwarden.model} and {@code io.mcpwarden.policy.facts}).
 */
final class DrlCompiler {
    private DrlCompiler() {
    }

    static ClassLoader loader() {
        return DrlCompiler.class.getClassLoader();
    }

    /**
     * Drools finds its components with ServiceLoader on the thread context class loader (and caches a miss
     * forever): compile with the bundle's loader as TCCL.
     */
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

    /**
     * One knowledge builder over every file as one batch (so that files may refer to each other's declarations),
     * then a KieBase of its packages. This is what a KieContainer does for its default KieBase, without the
     * project model around it (kmodule.xml, pom.xml, the in-memory Maven repository), which costs about a third
     * of the first build in a fresh JVM and decides nothing for a plain directory of DRL files.
     */
    private static CompiledRules doCompile(SortedMap<String, byte[]> files, String hash) {
        KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder(
                KnowledgeBuilderFactory.newKnowledgeBuilderConfiguration(null, loader()));
        CompositeKnowledgeBuilder batch = builder.batch();
        files.forEach((name, content) -> batch.add(
                ResourceFactory.newByteArrayResource(content).setSourcePath(name), ResourceType.DRL));
        batch.build();
        List<RuleError> errors = new ArrayList<>();
        for (KnowledgeBuilderResult r : builder.getResults(ResultSeverity.ERROR)) {
            int[] lines = r.getLines();
            errors.add(error(r.getResource() == null ? "" : String.valueOf(r.getResource().getSourcePath()),
                    lines != null && lines.length > 0 ? lines[0] : 0, 0, r.getMessage()));
        }
        if (errors.size() > 1) {
            // the parser's follow-up complaint adds nothing to the error that caused it
            errors.removeIf(e -> e.message().equals("Parser returned a null Package"));
        }
        if (!errors.isEmpty()) {
            return new CompiledRules(null, hash, 0, List.copyOf(errors));
        }
        InternalRuleBase ruleBase = RuleBaseFactory.newRuleBase(
                RuleBaseFactory.newKnowledgeBaseConfiguration(null, loader()));
        ruleBase.addPackages(builder.getKnowledgePackages());
        KieBase base = KnowledgeBaseFactory.newKnowledgeBase(ruleBase);
        int rules = 0;
        for (KiePackage p : base.getKiePackages()) {
            rules += p.getRules().size();
        }
        int mentions = 0;
        for (byte[] content : files.values()) {
            mentions += SilentProjections.mentions(new String(content, java.nio.charset.StandardCharsets.UTF_8),
                    "firstSight");
        }
        return new CompiledRules(base, hash, rules, List.of(), mentions);
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
}
