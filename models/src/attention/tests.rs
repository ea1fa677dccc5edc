use candle_core::{Device, Tensor};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::*;

/// Attention of one packed batch in plain f64: the oracle.
fn reference(qkv: &[f32], lengths: &[usize], heads: usize, hidden: usize) -> Vec<f64> {
    let head_dim = hidden / heads;
    let scale = 1.0 / (head_dim as f64).sqrt();
    let at = |token: usize, column: usize| f64::from(qkv[token * 3 * hidden + column]);
    let mut out = vec![0f64; lengths.iter().sum::<usize>() * hidden];
    let mut start = 0;
    for &n in lengths {
        for head in 0..heads {
            let (q, k, v) = (
                head * head_dim,
                hidden + head * head_dim,
                2 * hidden + head * head_dim,
            );
            for i in start..start + n {
                let scores: Vec<f64> = (start..start + n)
                    .map(|j| {
                        (0..head_dim)
                            .map(|d| at(i, q + d) * at(j, k + d))
                            .sum::<f64>()
                            * scale
                    })
                    .collect();
                let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let exps: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
                let sum: f64 = exps.iter().sum();
                for d in 0..head_dim {
                    out[i * hidden + head * head_dim + d] = (start..start + n)
                        .zip(&exps)
                        .map(|(j, e)| e / sum * at(j, v + d))
                        .sum();
                }
            }
        }
        start += n;
    }
    out
}

#[test]
fn every_path_matches_the_f64_oracle() {
    let mut rng = StdRng::seed_from_u64(11);
    // A one-token sequence, lengths off the 16-key and 4-row grids, and sequences longer than
    // one task's 64 query rows.
    let lengths = vec![1, 5, 70, 17, 130];
    let tokens: usize = lengths.iter().sum();
    for (heads, hidden) in [(12, 384), (3, 48), (2, 128)] {
        let qkv: Vec<f32> = (0..tokens * 3 * hidden)
            .map(|_| rng.random_range(-3.0..3.0))
            .collect();
        let want = reference(&qkv, &lengths, heads, hidden);
        for simd in Simd::available() {
            // bf16 keeps 8 significant bits of q, k, v and the probabilities: with values up to
            // 3 in magnitude the outputs move by up to a few hundredths; f32 paths by rounding.
            let tolerance = if matches!(simd, Simd::Avx512Bf16 | Simd::AmxBf16) {
                0.06
            } else {
                1e-4
            };
            let mut worst = 0f64;
            let op = PackedAttention::new(lengths.clone(), heads).with_simd(simd);
            let input =
                Tensor::from_vec(qkv.clone(), (tokens, 3 * hidden), &Device::Cpu).expect("tensor");
            let got = input.apply_op1_no_bwd(&op).expect("attention");
            assert_eq!(got.dims(), &[tokens, hidden]);
            let got = got
                .flatten_all()
                .and_then(|t| t.to_vec1::<f32>())
                .expect("values");
            for (i, (&g, &w)) in got.iter().zip(&want).enumerate() {
                worst = worst.max((f64::from(g) - w).abs());
                assert!(
                    (f64::from(g) - w).abs() < tolerance,
                    "{simd:?}, {heads} heads of {}: token {} column {}: {g} vs {w}",
                    hidden / heads,
                    i / hidden,
                    i % hidden
                );
            }
            eprintln!(
                "{simd:?}, {heads} heads of {}: largest error {worst:.2e}",
                hidden / heads
            );
        }
    }
}

#[test]
fn shapes_that_do_not_fit_are_errors() {
    let qkv = Tensor::zeros((10, 3 * 384), candle_core::DType::F32, &Device::Cpu).expect("zeros");
    let wrong_total = PackedAttention::new(vec![4, 5], 12);
    let err = qkv
        .apply_op1_no_bwd(&wrong_total)
        .expect_err("9 of 10 tokens");
    assert!(err.to_string().contains("10 tokens"), "{err}");
    let odd_heads = PackedAttention::new(vec![10], 7);
    let err = qkv.apply_op1_no_bwd(&odd_heads).expect_err("384 / 7");
    assert!(err.to_string().contains("7 heads"), "{err}");
    let wide_heads = PackedAttention::new(vec![10], 3);
    let err = qkv
        .apply_op1_no_bwd(&wide_heads)
        .expect_err("head size 128");
    assert!(err.to_string().contains("head size 128"), "{err}");
}
