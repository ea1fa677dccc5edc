//! Grouping records into issues: similarity edges merged strongest first, guarded by centroids.
//!
//! Connected components of a similarity graph chain: one generic complaint ("工地晚上施工太吵")
//! links the noise issues of two different estates. Here edges are taken strongest first (as in
//! single linkage), but two groups merge only when their centroids are similar too (as in centroid
//! linkage), so a bridge record can join one group without gluing two together. The result only
//! depends on the data: ties are broken by record position.

use std::collections::HashMap;

use super::features::Features;

/// Groups of record positions; every record is in exactly one group (singletons included).
pub fn cluster(
    features: &[Features],
    neighbours: &[Vec<(u32, f32)>],
    edge_min: f32,
    merge_min: f32,
) -> Vec<Vec<usize>> {
    let mut edges: Vec<(f32, u32, u32)> = neighbours
        .iter()
        .enumerate()
        .flat_map(|(i, list)| {
            list.iter()
                .filter(|(_, s)| *s >= edge_min)
                .map(move |(j, s)| (*s, (i as u32).min(*j), (i as u32).max(*j)))
        })
        .collect();
    edges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    edges.dedup_by(|a, b| a.1 == b.1 && a.2 == b.2);

    let n = features.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut centroid: Vec<HashMap<u32, f32>> = features
        .iter()
        .map(|f| f.iter().copied().collect())
        .collect();
    for (_, a, b) in edges {
        let (ra, rb) = (find(&mut parent, a as usize), find(&mut parent, b as usize));
        if ra == rb || centroid_cosine(&centroid[ra], &centroid[rb]) < merge_min {
            continue;
        }
        // Merge the smaller centroid into the larger; the lower position stays the root.
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        let moved = std::mem::take(&mut centroid[gone]);
        let target = &mut centroid[keep];
        for (word, w) in moved {
            *target.entry(word).or_default() += w;
        }
        parent[gone] = keep;
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    groups.sort_by_key(|g| g[0]);
    groups
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn centroid_cosine(a: &HashMap<u32, f32>, b: &HashMap<u32, f32>) -> f32 {
    let (small, large) = if a.len() < b.len() { (a, b) } else { (b, a) };
    let dot: f32 = small
        .iter()
        .filter_map(|(k, v)| large.get(k).map(|w| v * w))
        .sum();
    let norm = |m: &HashMap<u32, f32>| {
        m.values()
            .map(|v| v * v)
            .sum::<f32>()
            .sqrt()
            .max(f32::EPSILON)
    };
    dot / (norm(a) * norm(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(words: &[(u32, f32)]) -> Features {
        let norm = words.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        words.iter().map(|(id, w)| (*id, w / norm)).collect()
    }

    #[test]
    fn a_bridge_record_does_not_glue_two_groups() {
        // Words: 0 幸福里, 1 和平新村, 2 施工, 3 噪音.
        let features = vec![
            f(&[(0, 3.0), (2, 1.0), (3, 1.0)]),
            f(&[(0, 3.0), (2, 1.0), (3, 1.0)]),
            f(&[(1, 3.0), (2, 1.0), (3, 1.0)]),
            f(&[(1, 3.0), (2, 1.0), (3, 1.0)]),
            f(&[(0, 1.0), (1, 1.0), (2, 2.0), (3, 2.0)]),
        ];
        let neighbours = super::super::features::nearest_neighbours(&features, 4);
        let groups = cluster(&features, &neighbours, 0.3, 0.6);
        let group_of = |i: usize| groups.iter().position(|g| g.contains(&i)).unwrap();
        assert_eq!(group_of(0), group_of(1), "{groups:?}");
        assert_eq!(group_of(2), group_of(3), "{groups:?}");
        assert_ne!(group_of(0), group_of(2), "{groups:?}");
    }
}
