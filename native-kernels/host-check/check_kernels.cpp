// Runs the real kernel sources (losses, clipping, optimizers, checks, softmax cross-entropy) on the
// host through emu.h, with the launch geometry the Java engines use, against straight C++ copies of
// the CPU engines' loops. Checks indexing, grid-stride coverage, block reductions, partial-sum
// offsets and the target check; not GPU rounding, JCuda argument passing or the PTX itself (the
// @GpuTest parity tests and `neurite selftest` cover those on a GPU). Run: ./run.sh
#include "emu.h"
#include <cstdio>
#include <cmath>
#include <random>
#include <algorithm>
namespace losses {
#include "../src/main/cuda/losses.cu"
}
namespace clip {
#include "../src/main/cuda/clip.cu"
}
namespace opt {
#include "../src/main/cuda/optimizers.cu"
}
namespace xent {
#include "../src/main/cuda/softmax_xent.cu"
}
namespace checks {
#include "../src/main/cuda/checks.cu"
}

static int failures = 0;
static void expect(const char* what, double want, double got, double rel) {
    double tol = rel * std::max(1.0, std::fabs(want));
    bool ok = std::fabs(want - got) <= tol || (std::isnan(want) && std::isnan(got));
    if (!ok) failures++;
    printf("%-44s want %.9g got %.9g %s\n", what, want, got, ok ? "ok" : "MISMATCH");
}
static double maxdiff(const std::vector<float>& a, const std::vector<float>& b) {
    double m = 0;
    for (size_t i = 0; i < a.size(); i++) m = std::max(m, (double) std::fabs(a[i] - b[i]));
    return m;
}
static std::mt19937 rng(7);
static std::vector<float> uni(int n, float lo, float hi) {
    std::uniform_real_distribution<float> d(lo, hi);
    std::vector<float> v(n);
    for (auto& x : v) x = d(rng);
    return v;
}
// Java: LossesCuda.blocksFor / GradClipCuda.blocksFor
static int blocksFor(int n, int cap) { return (int) std::max(1L, std::min((long) cap, (n + 255L) / 256)); }

static void mse(int n) {
    auto x = uni(n, -3, 3), t = uni(n, 0, 1);
    double sum = 0; std::vector<float> g(n);
    float scale = 2.0f / n;
    for (int i = 0; i < n; i++) { float d = x[i] - t[i]; sum += (double) d * d; g[i] = scale * d; }
    int blocks = blocksFor(n, 1024);
    std::vector<double> partials(blocks); std::vector<float> dx(n), out(2);
    launch(blocks, 256, [&] { losses::mse_f32(n, x.data(), t.data(), dx.data(), 2.0f / n, partials.data()); });
    launch(1, 256, [&] { losses::loss_finish_f32(blocks, partials.data(), nullptr, 1.0 / n, out.data()); });
    char w[64]; snprintf(w, 64, "mse n=%d loss", n);
    expect(w, sum / n, out[0], 1e-6);
    snprintf(w, 64, "mse n=%d grad max diff", n); expect(w, 0, maxdiff(g, dx), 0);
    int bits; std::memcpy(&bits, &out[1], 4); snprintf(w, 64, "mse n=%d bad", n); expect(w, 0, bits, 0);
}

static void bce(int n, int badAt, int badAt2) {
    auto x = uni(n, -4, 4), t = uni(n, 0, 1);
    if (badAt >= 0) t[badAt] = 1.5f;
    if (badAt2 >= 0) t[badAt2] = NAN;
    double sum = 0; std::vector<float> g(n);
    float inv = 1.0f / n;
    for (int i = 0; i < n; i++) {
        float xi = x[i], ti = t[i];
        sum += std::max(xi, 0.0f) - (double) xi * ti + std::log1p(std::exp(-std::fabs((double) xi)));
        float sig = 1.0f / (1.0f + (float) std::exp(-(double) xi));
        g[i] = (sig - ti) * inv;
    }
    int blocks = blocksFor(n, 1024);
    std::vector<double> partials(blocks); std::vector<int> bad(blocks); std::vector<float> dx(n), out(2);
    launch(blocks, 256, [&] { losses::bce_logits_f32(n, x.data(), t.data(), dx.data(), 1.0f / n, partials.data(), bad.data()); });
    launch(1, 256, [&] { losses::loss_finish_f32(blocks, partials.data(), bad.data(), 1.0 / n, out.data()); });
    int bits; std::memcpy(&bits, &out[1], 4);
    int want = -1;
    if (badAt >= 0) want = badAt;
    if (badAt2 >= 0 && (want < 0 || badAt2 < want)) want = badAt2;
    char w[80];
    snprintf(w, 80, "bce n=%d first bad target (%d, %d)", n, badAt, badAt2); expect(w, want, bits - 1, 0);
    if (want < 0) {
        snprintf(w, 80, "bce n=%d loss", n); expect(w, sum / n, out[0], 1e-6);
        snprintf(w, 80, "bce n=%d grad max diff", n); expect(w, 0, maxdiff(g, dx), 1e-7);
    }
}

static void hinge(int rows, int c) {
    auto x = uni(rows * c, -1.5f, 1.5f);
    std::vector<int> labels(rows);
    for (auto& l : labels) l = rng() % c;
    std::vector<float> g(rows * c);
    float unit = 1.0f / ((float) c * rows);
    double sum = 0;
    for (int r = 0; r < rows; r++) {
        int off = r * c, y = labels[r], active = 0; float xy = x[off + y]; double rowSum = 0;
        for (int j = 0; j < c; j++) {
            float m = 1.0f - xy + x[off + j];
            if (j != y && m > 0.0f) { rowSum += m; g[off + j] = unit; active++; } else g[off + j] = 0.0f;
        }
        g[off + y] = -active * unit;
        sum += rowSum / c;
    }
    std::vector<double> partials(rows); std::vector<float> dx(rows * c, 99.0f), out(2);
    launch(rows, 256, [&] { losses::hinge_f32(rows, c, x.data(), labels.data(), dx.data(), unit, partials.data()); });
    launch(1, 256, [&] { losses::loss_finish_f32(rows, partials.data(), nullptr, 1.0 / rows, out.data()); });
    char w[64];
    snprintf(w, 64, "hinge %dx%d loss", rows, c); expect(w, sum / rows, out[0], 1e-6);
    snprintf(w, 64, "hinge %dx%d grad max diff", rows, c); expect(w, 0, maxdiff(g, dx), 0);
}

static void gradclip(std::vector<int> sizes, double maxNorm) {
    std::vector<std::vector<float>> gs, ref;
    double sq = 0;
    for (int n : sizes) { gs.push_back(uni(n, -1, 1)); for (float v : gs.back()) sq += (double) v * v; }
    ref = gs;
    double norm = std::sqrt(sq), factor = maxNorm / (norm + 1e-6);
    if (std::isfinite(norm) && factor < 1) for (auto& g : ref) for (auto& v : g) v *= (float) factor;
    std::vector<int> at(sizes.size() + 1);
    for (size_t i = 0; i < sizes.size(); i++) at[i + 1] = at[i] + blocksFor(sizes[i], 256);
    int count = at.back();
    std::vector<double> partials(count); std::vector<float> out(2);
    for (size_t i = 0; i < sizes.size(); i++) {
        int n = sizes[i]; float* g = gs[i].data(); double* p = partials.data() + at[i];
        launch(blocksFor(n, 256), 256, [&] { clip::sumsq_partial_f32(n, g, p); });
    }
    launch(1, 256, [&] { clip::clip_factor_f32(count, partials.data(), maxNorm, out.data()); });
    for (size_t i = 0; i < sizes.size(); i++) {
        int n = sizes[i]; float* g = gs[i].data();
        launch(std::min(65535, (n + 255) / 256), 256, [&] { clip::clip_scale_f32(n, g, out.data() + 1); });
    }
    char w[64];
    snprintf(w, 64, "clip max %g norm", maxNorm); expect(w, norm, out[0], 1e-7);
    double m = 0; for (size_t i = 0; i < gs.size(); i++) m = std::max(m, maxdiff(ref[i], gs[i]));
    snprintf(w, 64, "clip max %g grads max diff", maxNorm); expect(w, 0, m, 0);
}

static void adagrad(int n) {
    auto w = uni(n, -1, 1), s = std::vector<float>(n, 0.0f); auto w2 = w, s2 = s;
    float lr = 0.1f, eps = 1e-10f, wd = 0.01f;
    for (int step = 0; step < 3; step++) {
        auto g = uni(n, -2, 2);
        for (int i = 0; i < n; i++) { float gi = g[i] + wd * w[i]; float si = s[i] + gi * gi; s[i] = si; w[i] -= lr * gi / ((float) std::sqrt(si) + eps); }
        launch(std::min(65535, (n + 255) / 256), 256, [&] { opt::adagrad_f32(n, w2.data(), g.data(), s2.data(), lr, eps, wd); });
    }
    expect("adagrad w max diff", 0, maxdiff(w, w2), 0);
    expect("adagrad sum max diff", 0, maxdiff(s, s2), 0);
}

static void rmsprop(int n, float mom, bool centered) {
    auto w = uni(n, -1, 1); std::vector<float> v(n), b(n), a(n); auto w2 = w, v2 = v, b2 = b, a2 = a;
    float lr = 0.01f, alpha = 0.99f, c = (float) (1 - 0.99), eps = 1e-8f, wd = 0.01f;
    for (int step = 0; step < 3; step++) {
        auto g = uni(n, -2, 2);
        for (int i = 0; i < n; i++) {
            float gi = g[i] + wd * w[i]; float vi = alpha * v[i] + c * gi * gi; v[i] = vi; float var = vi;
            if (centered) { float ai = alpha * a[i] + c * gi; a[i] = ai; var = vi - ai * ai; }
            float d = (float) std::sqrt(var) + eps;
            if (mom > 0) { float bi = mom * b[i] + gi / d; b[i] = bi; w[i] -= lr * bi; } else w[i] -= lr * gi / d;
        }
        float* pb = mom > 0 ? b2.data() : g.data(); float* pa = centered ? a2.data() : g.data();
        launch(std::min(65535, (n + 255) / 256), 256, [&] {
            opt::rmsprop_f32(n, w2.data(), g.data(), v2.data(), pb, pa, lr, alpha, c, eps, mom, wd, mom > 0 ? 1 : 0, centered ? 1 : 0); });
    }
    char wh[64]; snprintf(wh, 64, "rmsprop mom %g centered %d w max diff", mom, centered);
    expect(wh, 0, maxdiff(w, w2), 0);
    snprintf(wh, 64, "rmsprop mom %g centered %d v max diff", mom, centered);
    expect(wh, 0, maxdiff(v, v2) + maxdiff(b, b2) + maxdiff(a, a2), 0);
}

static void argmaxAndFlags() {
    int rows = 300, cols = 17;
    std::vector<float> x(rows * cols);
    for (auto& v : x) v = (float) (rng() % 5);
    x[0] = NAN; x[cols + 3] = NAN;
    std::vector<float> out(rows);
    launch(2, 256, [&] { checks::argmax_rows_f32(rows, cols, x.data(), out.data()); });
    int wrong = 0;
    for (int r = 0; r < rows; r++) {
        int best = 0; float v = x[r * cols];
        for (int j = 1; j < cols; j++) if (x[r * cols + j] > v) { v = x[r * cols + j]; best = j; }
        if ((int) out[r] != best) wrong++;
    }
    expect("argmax rows wrong", 0, wrong, 0);
    std::vector<float> a(1000, 0.0f), b(70000, 1.0f); b[69999] = INFINITY;
    std::vector<float> flags(2, 0.0f);
    launch(4, 256, [&] { checks::nonfinite_flag_f32(1000, a.data(), flags.data(), 0); });
    launch(std::min(65535, (70000 + 255) / 256), 256, [&] { checks::nonfinite_flag_f32(70000, b.data(), flags.data(), 1); });
    expect("nonfinite flag finite tensor", 0, flags[0], 0);
    expect("nonfinite flag inf at the end", 1, flags[1], 0);
}

// Java SoftmaxCrossEntropy (CPU): float exps summed in double, loss max + log(sum) - x_y, grad (p - onehot) / N.
static void softmaxXent(int rows, int c) {
    auto x = uni(rows * c, -5, 5);
    std::vector<int> labels(rows);
    for (auto& l : labels) l = rng() % c;
    std::vector<float> g(rows * c); std::vector<double> loss(rows);
    for (int r = 0; r < rows; r++) {
        int off = r * c; float max = x[off];
        for (int j = 1; j < c; j++) max = std::max(max, x[off + j]);
        double sum = 0;
        for (int j = 0; j < c; j++) { float e = (float) std::exp(x[off + j] - max); g[off + j] = e; sum += e; }
        float inv = (float) (1.0 / sum), invN = 1.0f / rows;
        for (int j = 0; j < c; j++) g[off + j] = g[off + j] * inv * invN;
        g[off + labels[r]] -= invN;
        loss[r] = max + std::log(sum) - x[off + labels[r]];
    }
    std::vector<float> losses(rows), dx(rows * c);
    launch(rows, 256, [&] { xent::softmax_xent_f32(rows, c, x.data(), labels.data(), losses.data(), dx.data(), 1.0f / rows); });
    double worstLoss = 0;
    for (int r = 0; r < rows; r++) worstLoss = std::max(worstLoss, std::fabs(loss[r] - losses[r]) / std::max(1.0, std::fabs(loss[r])));
    char w[64];
    snprintf(w, 64, "softmax_xent %dx%d row loss rel diff", rows, c); expect(w, 0, worstLoss, 1e-6);
    snprintf(w, 64, "softmax_xent %dx%d grad max diff", rows, c); expect(w, 0, maxdiff(g, dx), 1e-7);
}

// Java Sgd and Adam (CPU loops).
static void sgdAdam(int n) {
    auto w = uni(n, -1, 1); std::vector<float> v(n); auto w2 = w, v2 = v;
    float lr = 0.05f, mu = 0.9f, wd = 1e-3f;
    for (int step = 0; step < 3; step++) {
        auto g = uni(n, -2, 2);
        for (int i = 0; i < n; i++) { float gi = g[i] + wd * w[i]; float vi = mu * v[i] + gi; v[i] = vi; w[i] -= lr * (gi + mu * vi); }
        launch(std::min(65535, (n + 255) / 256), 256, [&] { opt::sgd_momentum_f32(n, w2.data(), g.data(), v2.data(), lr, mu, wd, 1); });
    }
    expect("sgd nesterov w max diff", 0, maxdiff(w, w2), 1e-7);
    for (int decoupled = 0; decoupled < 2; decoupled++) {
        auto a = uni(n, -1, 1); std::vector<float> m(n), s(n); auto a2 = a, m2 = m, s2 = s;
        double b1 = 0.9, b2 = 0.999; float eps = 1e-8f, wdA = 0.05f, lrA = 0.01f;
        for (int t = 1; t <= 3; t++) {
            auto g = uni(n, -2, 2);
            float keep = decoupled ? (float) (1 - lrA * (double) wdA) : 1.0f, l2 = decoupled ? 0.0f : wdA;
            float stepSize = (float) (lrA / (1 - std::pow(b1, t))), invSqrtBc2 = (float) (1 / std::sqrt(1 - std::pow(b2, t)));
            float c1 = (float) (1 - b1), c2 = (float) (1 - b2);
            for (int i = 0; i < n; i++) {
                float wi = a[i] * keep, gi = g[i] + l2 * wi;
                float mi = (float) b1 * m[i] + c1 * gi, vi = (float) b2 * s[i] + c2 * gi * gi;
                m[i] = mi; s[i] = vi;
                a[i] = wi - stepSize * mi / ((float) std::sqrt(vi) * invSqrtBc2 + eps);
            }
            float bc1 = (float) (1 - std::pow(b1, t)), bc2 = (float) (1 - std::pow(b2, t));
            launch(std::min(65535, (n + 255) / 256), 256, [&] {
                opt::adam_f32(n, a2.data(), g.data(), m2.data(), s2.data(), lrA, (float) b1, (float) b2, eps, wdA, bc1, bc2, decoupled); });
        }
        char w[64];
        snprintf(w, 64, "adam decoupled %d w max diff", decoupled); expect(w, 0, maxdiff(a, a2), 1e-6);
    }
}

int main() {
    softmaxXent(8, 10); softmaxXent(3, 1000);
    sgdAdam(1000);
    mse(7); mse(1000); mse(300000);
    bce(9, -1, -1); bce(21000, -1, -1); bce(21000, 20000, 513); bce(21000, 3, -1);
    hinge(8, 10); hinge(5, 1000); hinge(3, 1);
    gradclip({6, 10080, 70000}, 0.5); gradclip({6, 10080}, 1e9);
    adagrad(1000);
    rmsprop(1000, 0, false); rmsprop(1000, 0.9f, false); rmsprop(1000, 0, true); rmsprop(1000, 0.5f, true);
    argmaxAndFlags();
    printf("%s (%d mismatches)\n", failures ? "FAILED" : "all ok", failures);
    return failures != 0;
}
