//! Drawing from weighted choices, for the demonstration data.

use rand::rngs::StdRng;
use rand::Rng;

/// Picks from `(weight, value)` pairs.
pub fn weighted<T: Copy>(rng: &mut StdRng, items: &[(u32, T)]) -> T {
    let total: u32 = items.iter().map(|(w, _)| w).sum();
    let mut x = rng.random_range(0..total);
    for (w, v) in items {
        if x < *w {
            return *v;
        }
        x -= w;
    }
    items[items.len() - 1].1
}
