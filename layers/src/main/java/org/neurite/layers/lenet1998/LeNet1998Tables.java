package org.neurite.layers.lenet1998;

/** The connection tables of LeCun et al. 1998. */
public final class LeNet1998Tables {
    private LeNet1998Tables() { }

    /**
     * Table I: which S2 maps (rows 0-5) feed which C3 maps (columns 0-15). Maps 0-5 take three
     * neighbouring S2 maps, 6-11 four neighbouring, 12-14 four non-neighbouring, 15 all six:
     * 60 connections, which breaks the symmetry between C3 maps and keeps the count down.
     * A new array each call.
     */
    public static boolean[][] c3() {
        return grid(
            //        C3: 0123456789012345
            /* S2 0 */ "X...XXX..XXXX.XX",
            /* S2 1 */ "XX...XXX..XXXX.X",
            /* S2 2 */ "XXX...XXX..X.XXX",
            /* S2 3 */ ".XXX..XXXX..X.XX",
            /* S2 4 */ "..XXX..XXXX.XX.X",
            /* S2 5 */ "...XXX..XXXX.XXX");
    }

    /** Rows of 'X' (connected) and '.' (not) as a boolean table; a new array each call. */
    public static boolean[][] grid(String... rows) {
        boolean[][] t = new boolean[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            t[i] = new boolean[rows[i].length()];
            for (int j = 0; j < rows[i].length(); j++) {
                char ch = rows[i].charAt(j);
                if (ch != 'X' && ch != '.') throw new IllegalArgumentException("table row " + i + ": '" + ch + "' is not X or .");
                t[i][j] = ch == 'X';
            }
        }
        return t;
    }
}
