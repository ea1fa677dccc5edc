//! Sentence vectors from token vectors: as multilingual-e5 (and text2vec) were trained, the mean
//! over every real token (including `<s>` and `</s>`, excluding padding); as bge was, the first
//! token's vector. Then unit length, so that a dot product is the cosine.

use candle_core::{D, Tensor};

/// How a model turns its token vectors into one vector (sentence-transformers' pooling modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pooling {
    /// The mean over the real tokens.
    Mean,
    /// The first token's (`[CLS]` / `<s>`) vector.
    Cls,
}

impl Pooling {
    /// Sentence vectors `[batch, dim]` from `hidden` `[batch, len, dim]`.
    pub fn apply(self, hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        match self {
            Pooling::Mean => masked_mean(hidden, mask),
            Pooling::Cls => hidden.narrow(D::Minus2, 0, 1)?.squeeze(D::Minus2),
        }
    }
}

/// Mean of `hidden` `[batch, len, dim]` over the positions where `mask` `[batch, len]` is 1.
pub(crate) fn masked_mean(hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let mask = mask.to_dtype(hidden.dtype())?.unsqueeze(2)?;
    let sum = hidden.broadcast_mul(&mask)?.sum(1)?;
    sum.broadcast_div(&mask.sum(1)?)
}

/// Scales `v` to unit length (a zero vector stays zero).
pub(crate) fn l2_normalise(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// Start offsets of windows of `window` tokens over `len` tokens, consecutive windows sharing
/// `window / 4` tokens so that a sentence cut by one window's edge is whole in the next; the
/// last window ends at the last token, so every window is full length.
pub(crate) fn window_starts(len: usize, window: usize) -> Vec<usize> {
    if len <= window {
        return vec![0];
    }
    let stride = window - window / 4;
    let mut starts: Vec<usize> = (0..)
        .map(|i| i * stride)
        .take_while(|&s| s + window < len)
        .collect();
    starts.push(len - window);
    starts
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    #[test]
    fn mean_ignores_padding() {
        let hidden = Tensor::new(&[[[1f32, 2.], [3., 4.], [100., 100.]]], &Device::Cpu).unwrap();
        let mask = Tensor::new(&[[1u32, 1, 0]], &Device::Cpu).unwrap();
        let mean = masked_mean(&hidden, &mask)
            .unwrap()
            .to_vec2::<f32>()
            .unwrap();
        assert_eq!(mean, vec![vec![2., 3.]]);
    }

    #[test]
    fn windows_overlap_and_cover_everything() {
        assert_eq!(window_starts(510, 510), vec![0]);
        assert_eq!(window_starts(600, 510), vec![0, 90]);
        assert_eq!(window_starts(1200, 510), vec![0, 383, 690]);
        for len in [511, 900, 5000] {
            let starts = window_starts(len, 510);
            assert_eq!(starts[0], 0);
            assert_eq!(starts.last().unwrap() + 510, len);
            assert!(starts.windows(2).all(|w| w[1] > w[0] && w[1] - w[0] < 510));
        }
    }

    #[test]
    fn normalise_gives_unit_length() {
        let mut v = [3f32, 4.];
        l2_normalise(&mut v);
        assert_eq!(v, [0.6, 0.8]);
        let mut zero = [0f32; 3];
        l2_normalise(&mut zero);
        assert_eq!(zero, [0.; 3]);
    }
}
