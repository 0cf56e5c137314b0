// The index arithmetic of channels.cu, embedding.cu, sequence.cu and lenet1998.cu checked on the host
// (no GPU): the kernels are compiled as C++ with emu.h, each run as one block of one thread (so every
// grid-stride loop visits every index in order), and compared with plain loops written as
// the Java CPU engines compute. Run by native-kernels/host-check/run.sh.
#include "emu.h"
#include <cstdio>
#include <cmath>
#include "../src/main/cuda/channels.cu"
#include "../src/main/cuda/embedding.cu"
#include "../src/main/cuda/sequence.cu"
#include "../src/main/cuda/lenet1998.cu"
#include <cstdlib>
#include <vector>
static int fails = 0;
static void eq(const char* what, float a, float b) { if (std::fabs(a - b) > 1e-6f * (1 + std::fabs(b))) { printf("FAIL %s: %g vs %g\n", what, a, b); fails++; } }
static float rnd() { return (float) rand() / RAND_MAX * 2 - 1; }
int main() {
    srand(1);
    // relu over prefix: n=2, C=3 (stride 3*2), prefix 2 channels (len 4)
    { std::vector<float> x(12), r; for (auto& v : x) v = rnd(); r = x;
      launch(1, 1, [&] { relu_prefix_f32(2, 4, 6, x.data()); });
      for (int i = 0; i < 2; i++) for (int k = 0; k < 6; k++) eq("relu_prefix", x[i*6+k], k < 4 ? std::fmax(r[i*6+k], 0.f) : r[i*6+k]);
      std::vector<float> g(12, 1.f); launch(1, 1, [&] { relu_prefix_backward_f32(2, 4, 6, x.data(), g.data()); });
      for (int i = 0; i < 2; i++) for (int k = 0; k < 6; k++) eq("relu_prefix_bw", g[i*6+k], (k < 4 && !(x[i*6+k] > 0)) ? 0.f : 1.f); }
    // embedding: vocab 4, dim 3, ids {2,0,2,3,2}
    { int n = 5, dim = 3; float ids[] = {2, 0, 2, 3, 2}; std::vector<float> w(12), y(15), dy(15), dw(12), ref(12);
      for (auto& v : w) v = rnd(); for (auto& v : dy) v = rnd(); for (auto& v : dw) v = rnd(); ref = dw;
      launch(1, 1, [&] { embedding_gather_f32(n, dim, ids, w.data(), y.data()); });
      for (int p = 0; p < n; p++) for (int j = 0; j < dim; j++) eq("gather", y[p*dim+j], w[(int) ids[p]*dim+j]);
      for (int p = 0; p < n; p++) for (int j = 0; j < dim; j++) ref[(int) ids[p]*dim+j] += dy[p*dim+j];
      float rows[] = {0, 2, 3}, off[] = {0, 1, 4, 5}, pos[] = {1, 0, 2, 4, 3};    // EmbeddingRows.group
      launch(1, 1, [&] { embedding_scatter_add_f32(3, dim, rows, off, pos, dy.data(), dw.data()); });
      for (int k = 0; k < 12; k++) if (dw[k] != ref[k]) { printf("FAIL scatter %d\n", k); fails++; }
      std::vector<float> oh(20); launch(1, 1, [&] { one_hot_f32(n, 4, ids, oh.data()); });
      for (int p = 0; p < n; p++) for (int v = 0; v < 4; v++) eq("one_hot", oh[p*4+v], v == (int) ids[p] ? 1.f : 0.f); }
    // sequence: T=4, nc=6
    { int t = 4, nc = 6; std::vector<float> x(24), y(6), am(6), dy(6), dx(24); for (auto& v : x) v = rnd(); for (auto& v : dy) v = rnd();
      launch(1, 1, [&] { seq_max_forward_f32(t, nc, x.data(), y.data(), am.data()); });
      for (int k = 0; k < nc; k++) { float b = x[k]; int a = 0; for (int s = 1; s < t; s++) if (x[s*nc+k] > b) { b = x[s*nc+k]; a = s; } eq("max", y[k], b); eq("argmax", am[k], a); }
      launch(1, 1, [&] { seq_max_backward_f32(t, nc, am.data(), dy.data(), dx.data()); });
      for (int s = 0; s < t; s++) for (int k = 0; k < nc; k++) eq("max_bw", dx[s*nc+k], s == (int) am[k] ? dy[k] : 0.f);
      launch(1, 1, [&] { seq_mean_forward_f32(t, nc, 0.25f, x.data(), y.data()); });
      for (int k = 0; k < nc; k++) { float s0 = 0; for (int s = 0; s < t; s++) s0 += x[s*nc+k]; eq("mean", y[k], s0 * 0.25f); }
      launch(1, 1, [&] { seq_mean_backward_f32(t, nc, 0.25f, dy.data(), dx.data()); });
      for (int i = 0; i < t*nc; i++) eq("mean_bw", dx[i], dy[i % nc] * 0.25f); }
    // subsampling: N=2, C=3, 4x6 -> 2x3 (as Subsampling.java)
    { int N = 2, C = 3, h = 4, w = 6, oh = 2, ow = 3, P = N*C; std::vector<float> x(P*h*w), W(C), B(C), s(P*oh*ow), y(P*oh*ow), dy(P*oh*ow), dx(P*h*w), dwp(P), dbp(P), dW(C), dB(C);
      for (auto& v : x) v = rnd(); for (auto& v : W) v = rnd(); for (auto& v : B) v = rnd(); for (auto& v : dy) v = rnd(); for (auto& v : dW) v = rnd(); for (auto& v : dB) v = rnd();
      std::vector<float> rW = dW, rB = dB;
      launch(1, 1, [&] { subsample_forward_f32(P, C, h, w, x.data(), W.data(), B.data(), s.data(), y.data()); });
      launch(1, 1, [&] { subsample_backward_data_f32(P, C, h, w, dy.data(), W.data(), dx.data()); });
      launch(1, 1, [&] { subsample_plane_grads_f32(P, oh*ow, dy.data(), s.data(), dwp.data(), dbp.data()); });
      launch(1, 1, [&] { subsample_channel_grads_f32(P, C, dwp.data(), dbp.data(), dW.data(), dB.data()); });
      std::vector<float> pw(P), pb(P);
      for (int p = 0; p < P; p++) { int c = p % C; float aw = 0, ab = 0;
        for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
          int r0 = p*h*w + 2*i*w, r1 = r0 + w; float sum = x[r0+2*j] + x[r0+2*j+1] + x[r1+2*j] + x[r1+2*j+1];
          int o = p*oh*ow + i*ow + j; eq("sums", s[o], sum); eq("sub_y", y[o], W[c]*sum + B[c]);
          float g = dy[o]; aw += g * sum; ab += g;
          eq("sub_dx", dx[r0+2*j], g*W[c]); eq("sub_dx", dx[r0+2*j+1], g*W[c]); eq("sub_dx", dx[r1+2*j], g*W[c]); eq("sub_dx", dx[r1+2*j+1], g*W[c]); }
        pw[p] = aw; pb[p] = ab; }
      for (int p = 0; p < P; p++) { rW[p % C] += pw[p]; rB[p % C] += pb[p]; }
      for (int c = 0; c < C; c++) { eq("sub_dW", dW[c], rW[c]); eq("sub_dB", dB[c], rB[c]); } }
    // scaled tanh
    { float x[] = {-2, -0.5f, 0, 1, 3}, y[5], dy[] = {1, 2, 3, 4, 5}, dx[5];
      launch(1, 1, [&] { scaled_tanh_forward_f32(5, 1.7159f, 2.f/3, x, y); }); launch(1, 1, [&] { scaled_tanh_backward_f32(5, 1.7159f, 2.f/3, y, dy, dx); });
      for (int i = 0; i < 5; i++) { eq("tanh", y[i], 1.7159f * std::tanh(2.f/3 * x[i])); eq("tanh_bw", dx[i], dy[i] * (2.f/3) * (1.7159f - y[i]*y[i]/1.7159f)); } }
    // partial conv: K=2, C=3, rs=4; connections (0->0), (2->0), (1->1)
    { float at[] = {0, 8, 16}; std::vector<float> wt(12), full(24, 0.f), g(12, 1.f), fg(24);
      for (auto& v : wt) v = rnd(); for (auto& v : fg) v = rnd();
      launch(1, 1, [&] { partial_conv_scatter_f32(3, 4, at, wt.data(), full.data()); });
      int cin[] = {0, 2, 1}, cout[] = {0, 0, 1};
      std::vector<float> ref(24, 0.f); for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) ref[(cout[i]*3+cin[i])*4+j] = wt[i*4+j];
      for (int k = 0; k < 24; k++) eq("scatter", full[k], ref[k]);
      launch(1, 1, [&] { partial_conv_gather_add_f32(3, 4, at, fg.data(), g.data()); });
      for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) eq("gather_add", g[i*4+j], 1.f + fg[(cout[i]*3+cin[i])*4+j]); }
    printf(fails ? "%d FAILURES\n" : "all kernel index checks passed\n", fails);
    return fails != 0;
}
