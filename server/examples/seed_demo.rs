//! `seed_demo <database url> [items]`: loads the synthetic demonstration year (by default
//! 163,000 items, as `server --demo` does) into an empty database and prints how long it took.

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: seed_demo <database url> [items]");
    let n: usize = args.next().map(|s| s.parse().expect("a number of items")).unwrap_or(server::demo::YEAR_ITEMS);
    let store = server::store::connect(&url).await.expect("database");
    let start = std::time::Instant::now();
    let loaded = server::demo::load(store.as_ref(), n, time::OffsetDateTime::now_utc()).await.expect("demo data");
    println!("{loaded} items in {:.1} s", start.elapsed().as_secs_f64());
}
