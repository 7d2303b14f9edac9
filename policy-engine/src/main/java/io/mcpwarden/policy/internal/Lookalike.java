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

    /** @param rHost registered host (wildcard base without "*."), @param exact whether it is an exact host */
    static boolean imitates(String host, String rHost, boolean exact) {
        if (host.equals(rHost)) {
            return false;
        }
        String[] h = host.split("\\.");
        String[] r = rHost.split("\\.");
        if (exact && h.length == r.length && h.length >= 2 && parent(host).equals(parent(rHost))
                && !h[0].equals(r[0]) && similar(h[0], r[0])) {
            return true;
        }
        if (h.length >= 2 && r.length >= 2) {
            String hb = h[h.length - 2];
            String rb = r[r.length - 2];
            boolean sameRegistrable = hb.equals(rb) && h[h.length - 1].equals(r[r.length - 1]);
            if (!sameRegistrable && (hb.equals(rb) || similar(hb, rb))) {
                return true;
            }
        }
        return false;
    }

    static boolean imitatesAny(String host, List<HostPattern> patterns) {
        for (HostPattern p : patterns) {
            if (imitates(host, p.host(), !p.wildcard())) {
                return true;
            }
        }
        return false;
    }

    private static String parent(String host) {
        int dot = host.indexOf('.');
        return dot < 0 ? "" : host.substring(dot + 1);
    }

    static boolean similar(String a, String b) {
        if (a.equals(b)) {
            return false;
        }
        String sa = skeleton(a);
        String sb = skeleton(b);
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
