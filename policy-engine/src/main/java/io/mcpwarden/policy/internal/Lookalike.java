package io.mcpwarden.policy.internal;

import java.util.List;

/**
 * Look-alike host names, bounded: labels are cut at 63 characters and the edit distance is computed only up to 2.
 * <p>
 * Both names are first reduced to a skeleton (lower case; {@code 0→o, 1→l, i→l, 3→e, 4→a, 5→s, 7→t, 8→b},
 * {@code rn→m, vv→w}). A host {@code h} imitates a registered host {@code r} when either
 * <ol>
 * <li><b>first label</b>: {@code r} is an exact host, both have the same parent domain and their first labels
 * differ but are similar; or</li>
 * <li><b>brand label</b> (the label left of the top-level domain): the registrable domains ({@code brand.tld})
 * differ and the brand labels are equal (same label under a different parent domain) or similar.</li>
 * </ol>
 * Two labels are similar when their skeletons are equal or their edit distance (optimal string alignment: Levenshtein plus adjacent transpositions, on skeletons) is at
 * most 2 for labels of 8 or more characters, 1 for 4 to 7 characters, and 0 for shorter ones.
 * Multi-label public suffixes ({@code co.uk}) are not known: the top-level domain is the last label.
 */
final class Lookalike {
    static final int MAX_LABEL = 63;

    private Lookalike() {
    }

    /**
     * A registered host, split and reduced to skeletons once, when the registry is read.
     *
     * @param host  the registered host (wildcard base without "*.")
     * @param exact whether it is an exact host (not a wildcard base)
     */
    record Target(String host, boolean exact, String[] labels, String parent, String firstSkeleton,
                  String brand, String tld, String brandSkeleton) {
        static Target of(String host, boolean exact) {
            String[] l = Lookalike.labels(host);
            String brand = l.length >= 2 ? l[l.length - 2] : "";
            return new Target(host, exact, l, Lookalike.parent(host), skeleton(l[0]), brand,
                    l.length >= 2 ? l[l.length - 1] : "", skeleton(brand));
        }
    }

    /** A host under test: its labels, with the skeletons computed at most once however many targets it meets. */
    private static final class Name {
        final String host;
        final String[] labels;
        private String parent;
        private String firstSkeleton;
        private String brandSkeleton;

        Name(String host) {
            this.host = host;
            this.labels = labels(host);
        }

        String parent() {
            return parent == null ? parent = Lookalike.parent(host) : parent;
        }

        String firstSkeleton() {
            return firstSkeleton == null ? firstSkeleton = skeleton(labels[0]) : firstSkeleton;
        }

        String brandSkeleton() {
            return brandSkeleton == null ? brandSkeleton = skeleton(labels[labels.length - 2]) : brandSkeleton;
        }
    }

    private static boolean imitates(Name n, Target r) {
        if (n.host.equals(r.host())) {
            return false;
        }
        String[] h = n.labels;
        if (r.exact() && h.length == r.labels().length && h.length >= 2 && !h[0].equals(r.labels()[0])
                && n.parent().equals(r.parent())
                && similar(h[0], n.firstSkeleton(), r.labels()[0], r.firstSkeleton())) {
            return true;
        }
        if (h.length >= 2 && r.labels().length >= 2) {
            String hb = h[h.length - 2];
            boolean sameBrand = hb.equals(r.brand());
            if (sameBrand) {
                return !h[h.length - 1].equals(r.tld()); // same brand under another parent; else same registrable
            }
            return similar(hb, n.brandSkeleton(), r.brand(), r.brandSkeleton());
        }
        return false;
    }

    /** The index of the first group of targets that {@code host} imitates one of, or -1. */
    static int firstImitated(String host, List<List<Target>> groups) {
        Name n = new Name(host);
        for (int i = 0; i < groups.size(); i++) {
            for (Target t : groups.get(i)) {
                if (imitates(n, t)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The labels of a host (String.split takes a one-character separator without a regular expression). */
    static String[] labels(String host) {
        return host.split("\\.");
    }

    private static String parent(String host) {
        int dot = host.indexOf('.');
        return dot < 0 ? "" : host.substring(dot + 1);
    }

    /** Whether two labels are similar (see above), given their skeletons. */
    private static boolean similar(String a, String sa, String b, String sb) {
        if (a.equals(b)) {
            return false;
        }
        if (sa.equals(sb)) {
            return true;
        }
        int len = Math.min(sa.length(), sb.length());
        int bound = len >= 8 ? 2 : len >= 4 ? 1 : 0;
        return bound > 0 && distance(sa, sb, bound) <= bound;
    }

    static String skeleton(String label) {
        String s = label.length() > MAX_LABEL ? label.substring(0, MAX_LABEL) : label;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = Character.toLowerCase(s.charAt(i));
            char n = i + 1 < s.length() ? Character.toLowerCase(s.charAt(i + 1)) : 0;
            if (c == 'r' && n == 'n') {
                b.append('m');
                i++;
                continue;
            }
            if (c == 'v' && n == 'v') {
                b.append('w');
                i++;
                continue;
            }
            b.append(switch (c) {
                case '0' -> 'o';
                case '1', 'i' -> 'l';
                case '3' -> 'e';
                case '4' -> 'a';
                case '5' -> 's';
                case '7' -> 't';
                case '8' -> 'b';
                default -> c;
            });
        }
        return b.toString();
    }

    /**
     * Edit distance with adjacent transpositions (optimal string alignment: insert, delete, substitute, swap two
     * neighbours, each 1), or {@code bound + 1} as soon as it must exceed the bound.
     */
    static int distance(String a, String b, int bound) {
        if (Math.abs(a.length() - b.length()) > bound) {
            return bound + 1;
        }
        int[] prev2 = new int[b.length() + 1];
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int d = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d = Math.min(d, prev2[j - 2] + 1);
                }
                cur[j] = d;
                rowMin = Math.min(rowMin, d);
            }
            if (rowMin > bound) {
                return bound + 1;
            }
            int[] t = prev2;
            prev2 = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
