package io.mcpwarden.policy.internal;

import io.mcpwarden.policy.facts.Subject;
import org.drools.base.base.ClassObjectType;
import org.drools.base.base.EnabledBoolean;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.GroupElement;
import org.drools.base.rule.Pattern;
import org.drools.base.rule.constraint.Constraint;
import org.drools.mvel.MVELConstraint;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a rule set skip the engine for subjects on which it is known to fire nothing.
 *
 * <p>When every rule of a set matches nothing but {@link Subject} patterns whose constraints read only
 * {@code Subject} fields and literals (the shape of the shipped pack: {@code Subject( eventType == "dns",
 * nameHasMcpToken == true, registered == false )}), whether any rule fires for a subject is a function of the
 * fields those constraints read: its <em>projection</em>. So once the engine has fired nothing for one subject,
 * it fires nothing for every subject with the same projection, and those need not enter the engine. On a bulk
 * capture most new names (a DNS lookup of an unremarkable name) share a handful of projections.
 *
 * <p>The analysis is conservative: a set that has any other element (a pattern of another type such as an
 * event, {@code eval}, {@code from}, {@code accumulate}, {@code forall}, queries used as patterns), a constraint
 * with anything besides field names, literals and operators (a bound variable, a global, a method call), or a
 * time-dependent rule attribute (timer, calendars, date-effective/expires, an enabled expression) gets no
 * projections ({@link #analyse} returns null) and every subject enters the engine as before. Only a firing with
 * no activation at all marks a projection silent; any firing, even one that inserts no verdict, does not.
 */
final class SilentProjections {
    /** Projections remembered at most; the memory is emptied when full. */
    static final int MAX = 4096;

    /** Words a constraint may contain besides field names: literals and the operators of the rule language. */
    private static final Set<String> WORDS = Set.of("true", "false", "null", "matches", "contains", "excludes",
            "memberOf", "soundslike", "in", "not", "str", "startsWith", "endsWith", "length");

    private static final Map<String, RecordComponent> FIELDS = new TreeMap<>();

    static {
        for (RecordComponent c : Subject.class.getRecordComponents()) {
            FIELDS.put(c.getName(), c);
        }
    }

    private static final java.util.regex.Pattern EVENT_TYPE_IS =
            java.util.regex.Pattern.compile("\\s*eventType\\s*==\\s*\"([^\"\\\\]*)\"\\s*");

    private final RecordComponent[] read;
    /** The event types whose subjects some pattern tests firstSight on; null: all of them. */
    private final Set<String> firstSightTypes;
    private final Set<List<Object>> silent = ConcurrentHashMap.newKeySet();

    private SilentProjections(RecordComponent[] read, Set<String> firstSightTypes) {
        this.read = read;
        this.firstSightTypes = firstSightTypes;
    }

    /** What the walk over a set's patterns found. */
    private static final class Reads {
        final Set<String> fields = new java.util.TreeSet<>();
        final Set<String> firstSightTypes = new java.util.TreeSet<>();
        boolean firstSightAnyType;
        int firstSightInConstraints;
    }

    /**
     * The projections of a compiled set, or null when the set is not of the shape described above (then the
     * reason is in {@code why[0]} when {@code why} is not null).
     *
     * <p>It also finds where {@code firstSight} matters: in the event types of the patterns that read it (a
     * pattern reading it without an {@code eventType == "…"} constraint makes it matter for all). That holds only
     * if no consequence, function or other text of the sources names it: {@code firstSightMentions} (the count of
     * the word in the sources outside comments, see {@link #mentions}) must equal the count in the constraints
     * analysed; otherwise, or when it is -1, firstSight matters for every event type.
     */
    static SilentProjections analyse(KieBase base, int firstSightMentions, String[] why) {
        Reads reads = new Reads();
        for (KiePackage p : base.getKiePackages()) {
            for (Rule r : p.getRules()) {
                String reason = analyse(r, reads);
                if (reason != null) {
                    if (why != null) {
                        why[0] = "rule '" + r.getName() + "': " + reason;
                    }
                    return null;
                }
            }
        }
        List<RecordComponent> read = new ArrayList<>();
        for (String f : reads.fields) {
            read.add(FIELDS.get(f));
        }
        boolean known = firstSightMentions >= 0 && firstSightMentions == reads.firstSightInConstraints
                && !reads.firstSightAnyType;
        return new SilentProjections(read.toArray(new RecordComponent[0]),
                known ? Set.copyOf(reads.firstSightTypes) : null);
    }

    /** Null when the rule is of the shape, with what it reads added to {@code reads}; else why not. */
    private static String analyse(Rule rule, Reads reads) {
        if (!(rule instanceof RuleImpl r)) {
            return "not a compiled rule";
        }
        if (r.isQuery()) {
            return null; // a query never fires
        }
        if (r.getTimer() != null || r.getCalendars() != null && r.getCalendars().length > 0
                || r.getDateEffective() != null || r.getDateExpires() != null
                || !(r.getEnabled() instanceof EnabledBoolean)) {
            return "depends on time (timer, calendars, date-effective/expires or an enabled expression)";
        }
        return element(r.getLhs(), reads);
    }

    private static String element(Object e, Reads reads) {
        if (e instanceof GroupElement g) {
            for (Object child : g.getChildren()) {
                String reason = element(child, reads);
                if (reason != null) {
                    return reason;
                }
            }
            return null;
        }
        if (e instanceof Pattern p) {
            if (!(p.getObjectType() instanceof ClassObjectType t) || t.getClassType() != Subject.class) {
                return "matches " + p.getObjectType();
            }
            if (p.getSource() != null) {
                return "a Subject pattern with a source (from, accumulate, collect)";
            }
            String eventType = null;
            int firstSight = 0;
            for (Constraint c : p.getConstraints()) {
                if (!(c instanceof MVELConstraint m)) {
                    return "constraint " + c;
                }
                String reason = words(m.getExpression(), reads.fields);
                if (reason != null) {
                    return reason;
                }
                java.util.regex.Matcher is = EVENT_TYPE_IS.matcher(m.getExpression());
                if (is.matches()) {
                    eventType = is.group(1);
                }
                firstSight += mentions(m.getExpression(), "firstSight");
            }
            if (firstSight > 0) {
                reads.firstSightInConstraints += firstSight;
                if (eventType == null) {
                    reads.firstSightAnyType = true;
                } else {
                    reads.firstSightTypes.add(eventType);
                }
            }
            return null;
        }
        return "has " + e.getClass().getSimpleName();
    }

    /** Collects the field names of a constraint; null when it has no other word than literals and operators. */
    static String words(String expression, Set<String> fields) {
        int i = 0;
        int n = expression.length();
        while (i < n) {
            char c = expression.charAt(i);
            if (c == '"' || c == '\'') {
                i = closingQuote(expression, i) + 1;
            } else if (Character.isJavaIdentifierStart(c)) {
                int end = wordEnd(expression, i);
                String w = expression.substring(i, end);
                if (FIELDS.containsKey(w)) {
                    fields.add(w);
                } else if (!WORDS.contains(w)) {
                    return "constraint '" + expression + "' reads '" + w + "'";
                }
                i = end;
            } else if (c == '.' && i + 1 < n && Character.isJavaIdentifierStart(expression.charAt(i + 1))) {
                return "constraint '" + expression + "' reads a member";
            } else {
                i++;
            }
        }
        return null;
    }

    /**
     * How often {@code word} occurs as a whole word in DRL or constraint text outside comments ({@code //} and
     * block comments; words inside string literals count).
     */
    static int mentions(String text, String word) {
        int count = 0;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                int end = closingQuote(text, i);
                String literal = text.substring(i + 1, Math.min(end, n));
                count += mentions(literal.replace("//", "  ").replace("/*", "  "), word);
                i = end + 1;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                int end = text.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (Character.isJavaIdentifierStart(c)) {
                int end = wordEnd(text, i);
                if (end - i == word.length() && text.startsWith(word, i)) {
                    count++;
                }
                i = end;
            } else {
                i++;
            }
        }
        return count;
    }

    /** The index of the quote that closes the literal opened at {@code open} (or the length: unclosed). */
    private static int closingQuote(String text, int open) {
        char q = text.charAt(open);
        int i = open + 1;
        while (i < text.length() && text.charAt(i) != q) {
            i += text.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i, text.length());
    }

    /** The end of the identifier that starts at {@code start}. */
    private static int wordEnd(String text, int start) {
        int i = start + 1;
        while (i < text.length() && Character.isJavaIdentifierPart(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Whether firstSight can matter for subjects of this event type (see {@link #analyse}). */
    boolean firstSightMatters(String eventType) {
        return firstSightTypes == null || firstSightTypes.contains(eventType);
    }

    /** The fields the rules read, in name order. */
    List<String> fields() {
        return Arrays.stream(read).map(RecordComponent::getName).toList();
    }

    /** The values of those fields. */
    List<Object> projection(Subject s) {
        Object[] v = new Object[read.length];
        try {
            for (int i = 0; i < read.length; i++) {
                v[i] = read[i].getAccessor().invoke(s);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Subject accessor", e);
        }
        return Arrays.asList(v);
    }

    boolean isSilent(List<Object> projection) {
        return silent.contains(projection);
    }

    /** The engine fired nothing for a subject with this projection. */
    void markSilent(List<Object> projection) {
        if (silent.size() >= MAX) {
            silent.clear();
        }
        silent.add(projection);
    }

    int size() {
        return silent.size();
    }
}
