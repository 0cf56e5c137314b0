package org.neurite.layers.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.layers.rnn.CellType;
import org.neurite.layers.rnn.Rnn;
import org.neurite.layers.rnn.RnnLayout;

/** cuDNN v8 RNN descriptor arguments, weight-space offsets and space sizing, worked out by hand. */
class RnnDescriptorsTest {

    @Test void descriptorOfAStackedBidirectionalLstm() {
        RnnDescriptors d = RnnDescriptors.of(Rnn.Config.of(CellType.LSTM, 10, 32).withLayers(2).withBidirectional(true), false);
        assertEquals(0, d.algo(), "CUDNN_RNN_ALGO_STANDARD");
        assertEquals(2, d.cellMode(), "CUDNN_LSTM");
        assertEquals(2, d.biasMode(), "CUDNN_RNN_DOUBLE_BIAS: b_W and b_R, as PyTorch");
        assertEquals(1, d.dirMode(), "CUDNN_BIDIRECTIONAL");
        assertEquals(0, d.inputMode(), "CUDNN_LINEAR_INPUT");
        assertEquals(0, d.dataType(), "CUDNN_DATA_FLOAT");
        assertEquals(0, d.mathPrec(), "CUDNN_DATA_FLOAT");
        assertEquals(3, d.mathType(), "CUDNN_FMA_MATH: no TF32");
        assertEquals(10, d.inputSize());
        assertEquals(32, d.hiddenSize());
        assertEquals(32, d.projSize(), "no projection: projSize = hiddenSize");
        assertEquals(2, d.numLayers());
        assertEquals(1, d.auxFlags(), "CUDNN_RNN_PADDED_IO_ENABLED, needed by SEQ_MAJOR_UNPACKED");
    }

    @Test void cellModesDirectionAndTf32() {
        assertEquals(1, RnnDescriptors.cellMode(CellType.RNN_TANH), "CUDNN_RNN_TANH");
        assertEquals(0, RnnDescriptors.cellMode(CellType.RNN_RELU), "CUDNN_RNN_RELU");
        assertEquals(3, RnnDescriptors.cellMode(CellType.GRU), "CUDNN_GRU");
        RnnDescriptors gru = RnnDescriptors.of(Rnn.Config.of(CellType.GRU, 4, 8), true);
        assertEquals(0, gru.dirMode(), "CUDNN_UNIDIRECTIONAL");
        assertEquals(0, gru.mathType(), "CUDNN_DEFAULT_MATH when TF32 is allowed");
        assertArrayEquals(new int[] {6, 5, 8}, RnnDescriptors.stateDims(new RnnLayout(CellType.GRU, 4, 8, 3, true), 5));
        assertArrayEquals(new int[] {7, 7, 7}, RnnDescriptors.seqLengths(7, 3));
    }

    @Test void weightOffsetsOfABidirectionalTwoLayerLstmByHand() {
        // I = 3, H = 2, G = 4: layer 0 pseudo-layers hold 8*3 + 8*2 + 8 + 8 = 56 floats, layer 1 (input 2H = 4) 8*4 + 16 + 16 = 64
        RnnLayout lay = new RnnLayout(CellType.LSTM, 3, 2, 2, true);
        assertEquals(56 + 56 + 64 + 64, lay.size());
        List<RnnWeightMap.Entry> e = RnnWeightMap.expected(lay);
        assertEquals(4 * 8, e.size());
        // pseudo-layer 1 (layer 0, reverse) starts at 56; linLayerID 5 = recurrent forget gate: R at 56 + 24, gate 1 at + 4
        RnnWeightMap.Entry f = e.get(8 + 5);
        assertEquals(1, f.pseudoLayer());
        assertEquals(5, f.linLayerId());
        assertEquals(84, f.matrixOffset());
        assertArrayEquals(new int[] {1, 2, 2}, f.matrixDims());
        // b_W at 80 + 16 = 96, b_R at 104, gate 1 at + 2
        assertEquals(106, f.biasOffset());
        assertArrayEquals(new int[] {1, 2, 1}, f.biasDims());
        // pseudo-layer 2 (layer 1, forward) starts at 112; linLayerID 3 = input output-gate [2, 4] at 112 + 3 * 8
        RnnWeightMap.Entry o = e.get(16 + 3);
        assertEquals(136, o.matrixOffset());
        assertArrayEquals(new int[] {1, 2, 4}, o.matrixDims());
        assertEquals(112 + 32 + 16 + 6, o.biasOffset());
    }

    static Stream<Arguments> layouts() {
        List<Arguments> a = new ArrayList<>();
        for (CellType c : CellType.values()) {
            a.add(Arguments.of(new RnnLayout(c, 5, 3, 1, false)));
            a.add(Arguments.of(new RnnLayout(c, 5, 3, 3, false)));
            a.add(Arguments.of(new RnnLayout(c, 5, 3, 2, true)));
        }
        return a.stream();
    }

    /**
     * cuDNN's documented order, computed independently of RnnLayout: pseudo-layers in turn, each
     * its 2G matrices (linLayerID order) then its 2G biases; matrices [H, in] for id < G, else [H, H].
     */
    @ParameterizedTest
    @MethodSource("layouts")
    void weightMapIsCudnnsOrderAndTheCpuLayouts(RnnLayout lay) {
        int g = lay.gates(), h = lay.hiddenSize(), dirs = lay.directions();
        List<RnnWeightMap.Entry> e = RnnWeightMap.expected(lay);
        long at = 0;
        int k = 0;
        for (int l = 0; l < lay.numLayers(); l++) {
            int in = l == 0 ? 5 : dirs * h;
            for (int d = 0; d < dirs; d++) {
                long[] m = new long[2 * g];
                for (int id = 0; id < 2 * g; id++) {
                    m[id] = at;
                    at += (long) h * (id < g ? in : h);
                }
                assertEquals(lay.inputWeights(l, d), m[0], "W of the CPU layout");
                assertEquals(lay.recurrentWeights(l, d), m[g], "R of the CPU layout");
                for (int id = 0; id < 2 * g; id++) {
                    RnnWeightMap.Entry x = e.get(k++);
                    assertEquals(l * dirs + d, x.pseudoLayer());
                    assertEquals(id, x.linLayerId());
                    assertEquals(m[id], x.matrixOffset(), "matrix " + id + " of " + x);
                    assertEquals(at + (long) id * h, x.biasOffset(), "bias " + id + " of " + x);
                }
                assertEquals(lay.inputBias(l, d), at, "b_W of the CPU layout");
                assertEquals(lay.recurrentBias(l, d), at + (long) g * h, "b_R of the CPU layout");
                at += 2L * g * h;
            }
        }
        assertEquals(lay.size(), at);
        assertTrue(RnnWeightMap.mismatches(lay, e).isEmpty());
    }

    @Test void aDifferentReportedLayoutIsCaught() {
        RnnLayout lay = new RnnLayout(CellType.GRU, 4, 3, 1, false);
        List<RnnWeightMap.Entry> got = new ArrayList<>(RnnWeightMap.expected(lay));
        RnnWeightMap.Entry a = got.get(0), b = got.get(1);
        // reset and update gates swapped
        got.set(0, new RnnWeightMap.Entry(0, 0, b.matrixOffset(), a.matrixDims(), b.biasOffset(), a.biasDims()));
        got.set(1, new RnnWeightMap.Entry(0, 1, a.matrixOffset(), b.matrixDims(), a.biasOffset(), b.biasDims()));
        List<String> diff = RnnWeightMap.mismatches(lay, got);
        assertEquals(2, diff.size(), diff.toString());
        assertTrue(diff.get(0).contains("linLayerID 0"), diff.get(0));
        // cuDNN may report [H, I] without the leading 1: same shape
        List<RnnWeightMap.Entry> flat = new ArrayList<>();
        for (RnnWeightMap.Entry x : RnnWeightMap.expected(lay)) {
            flat.add(new RnnWeightMap.Entry(x.pseudoLayer(), x.linLayerId(), x.matrixOffset(),
                    new int[] {x.matrixDims()[1], x.matrixDims()[2]}, x.biasOffset(), new int[] {x.biasDims()[1], 1}));
        }
        assertTrue(RnnWeightMap.mismatches(lay, flat).isEmpty());
        assertFalse(RnnWeightMap.mismatches(lay, got.subList(0, 3)).isEmpty(), "too few entries");
    }

    @Test void spacesFromFakeSizes() {
        RnnLayout lay = new RnnLayout(CellType.LSTM, 3, 2, 2, true);  // 240 floats
        RnnSpaces s = RnnSpaces.of(lay, 960, 4096, 10_000, 6144);
        assertEquals(6144, s.workBytes(), "the larger of the training and inference work spaces");
        assertEquals(10_000, s.reserveBytes());
        assertTrue(s.needsNewReserve(0));
        assertTrue(s.needsNewReserve(9_728));
        assertFalse(s.needsNewReserve(10_240), "a larger reserve block is kept");
        assertFalse(RnnSpaces.of(lay, 960, 0, 0, 0).needsNewReserve(0), "inference-only plans need none");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RnnSpaces.of(lay, 964, 0, 0, 0));
        assertTrue(e.getMessage().contains("960"), e.getMessage());
    }
}
