package org.neurite.layers.conv;

import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * One forward and backward of an engine the test has configured (which paths are on), on copies
 * of io = {x, w, b, dY}: the tensors it read and wrote, so a test can compare paths or call the
 * engine again with them.
 */
record ConvPass(Tensor x, Tensor w, Tensor b, Tensor dY, Tensor y, Tensor dX, Tensor dW, Tensor dB) {

    static ConvPass run(ConvCpu op, ConvGeometry g, boolean relu, float[][] io) {
        ConvPass p = new ConvPass(Tensor.wrap(g.inputShape(), io[0].clone()), Tensor.wrap(g.filterShape(), io[1].clone()),
                Tensor.wrap(Shape.of(g.k()), io[2].clone()), Tensor.wrap(g.outputShape(), io[3].clone()),
                Tensor.zeros(g.outputShape()), Tensor.zeros(g.inputShape()), Tensor.zeros(g.filterShape()), Tensor.zeros(Shape.of(g.k())));
        op.forward(p.x, p.w, p.b, p.y, relu);
        op.backward(p.x, p.y, p.dY, p.w, relu, p.dX, p.dW, p.dB);
        return p;
    }
}
