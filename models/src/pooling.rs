//! Sentence vectors from token vectors: as multilingual-e5 (and text2vec) were trained, the mean
//! over every real token (including `<s>` and `</s>`, excluding padding); as bge was, the first
//! token's vector. Then unit length, so that a dot product is the cosine.

use candle_core::Tensor;

/// How a model turns its token vectors into one vector (sentence-transformers' pooling modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pooling {
    /// The mean over the real tokens.
    Mean,
    /// The first token's (`[CLS]` / `<s>`) vector.
    Cls,
}

impl Pooling {
    /// One vector per sequence from `hidden` `[tokens, dim]`, the token vectors of sequences of
    /// `lengths` one after another.
    pub fn apply(self, hidden: &Tensor, lengths: &[usize]) -> candle_core::Result<Vec<Vec<f32>>> {
        let (tokens, dim) = hidden.dims2()?;
        if lengths.iter().sum::<usize>() != tokens || lengths.contains(&0) {
            candle_core::bail!("pooling: sequence lengths do not split {tokens} tokens");
        }
        let values = hidden.flatten_all()?.to_vec1::<f32>()?;
        let mut rows = values.chunks_exact(dim);
        Ok(lengths
            .iter()
            .map(|&n| {
                let sequence: Vec<&[f32]> = rows.by_ref().take(n).collect();
                match self {
                    Pooling::Cls => sequence[0].to_vec(),
                    Pooling::Mean => {
                        let mut mean = vec![0f32; dim];
                        for row in sequence {
                            mean.iter_mut().zip(row).for_each(|(m, v)| *m += v);
                        }
                        mean.iter_mut().for_each(|m| *m /= n as f32);
                        mean
                    }
                }
            })
            .collect())
    }
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
    fn each_sequence_is_pooled_over_its_own_tokens() {
        let rows = [
            [1f32, 2.],
            [3., 4.],
            [100., 100.],
            [7., 8.],
            [9., 10.],
            [11., 12.],
        ];
        let hidden = Tensor::new(&rows, &Device::Cpu).unwrap();
        let mean = Pooling::Mean.apply(&hidden, &[2, 1, 3]).unwrap();
        assert_eq!(mean, vec![vec![2., 3.], vec![100., 100.], vec![9., 10.]]);
        let cls = Pooling::Cls.apply(&hidden, &[2, 1, 3]).unwrap();
        assert_eq!(cls, vec![vec![1., 2.], vec![100., 100.], vec![7., 8.]]);
        assert!(Pooling::Mean.apply(&hidden, &[2, 3]).is_err());
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
