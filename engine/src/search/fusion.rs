//! Reciprocal rank fusion (RRF, k = 60): one ranking from several, without calibrating their
//! scores against each other (BM25 against cosine); an item high in any list ranks high.

use std::collections::HashMap;

/// RRF's rank offset; 60 is the value of the original paper and works without tuning.
const RRF_K: f32 = 60.0;

/// `(item, fused score)`, best first: each list adds `1 / (k + rank)` to the items it holds.
pub fn reciprocal_rank_fusion<T: Copy + Eq + std::hash::Hash + Ord>(
    lists: &[&[T]],
) -> Vec<(T, f32)> {
    let mut scores: HashMap<T, f32> = HashMap::new();
    for list in lists {
        for (rank, address) in list.iter().enumerate() {
            *scores.entry(*address).or_default() += 1.0 / (RRF_K + rank as f32 + 1.0);
        }
    }
    let mut fused: Vec<(T, f32)> = scores.into_iter().collect();
    fused.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    fused
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::DocAddress;

    #[test]
    fn fusion_rewards_agreement_and_keeps_either_list() {
        let a = |i: u32| DocAddress::new(0, i);
        let fused = reciprocal_rank_fusion(&[&[a(1), a(2), a(3)], &[a(3), a(4), a(1)]]);
        let order: Vec<u32> = fused.iter().map(|(d, _)| d.doc_id).collect();
        assert_eq!(order[0], 1, "high in both");
        assert_eq!(order[1], 3);
        assert_eq!(order.len(), 4);
    }
}
