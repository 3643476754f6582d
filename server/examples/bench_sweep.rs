//! `bench_sweep <database url>`: discloses the database's closed complaints afresh (the
//! disclosure sweep from the start) and prints how long it took.

#[tokio::main]
async fn main() {
    let url = std::env::args().nth(1).expect("usage: bench_sweep <database url>");
    let store = server::store::connect(&url).await.expect("database");
    store.meta_set("disclosure_mark", "").await.expect("mark");
    let start = std::time::Instant::now();
    let settle = app::service::disclosure::SETTLE;
    let n =
        app::service::disclosure::sweep(store.as_ref(), time::OffsetDateTime::now_utc(), settle).await.expect("sweep");
    println!("{n} complaints written as disclosed in {:.1} s", start.elapsed().as_secs_f64());
}
