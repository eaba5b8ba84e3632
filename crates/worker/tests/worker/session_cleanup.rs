//! The session-token cleanup on a controlled clock: it deletes exactly the expired and the used
//! tokens, in batches; it logs nothing when nothing was deleted; several workers cleaning at
//! once delete each row once between them. On both databases.

use std::sync::{Arc, Mutex};

use hivesync_core::Tier;
use hivesync_store::Driver;
use hivesync_store::testing::TestDb;
use hivesync_worker::session_cleanup;

const T0: i64 = 1_700_000_000_000;

/// Log lines written while the guard lives (this thread only).
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Lines {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Lines {
    fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let me = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || me.clone())
            .with_ansi(false)
            // Our own lines at every level; the database driver's statement traces are not ours.
            .with_env_filter("hivesync_worker=trace,hivesync_store=trace")
            .finish();
        tracing::subscriber::set_default(subscriber)
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// 250 expired, 150 used, 100 valid tokens.
async fn seed(store: &hivesync_store::Store) {
    let user = store
        .create_user("u@example.com", Tier::Free, T0)
        .await
        .unwrap();
    for i in 0..500 {
        let token = format!("hst_seed_{i:04}");
        let expires = if i < 250 { T0 - 1 } else { T0 + 90_000 };
        store
            .create_session_token(user.id, &token, T0 - 60_000, expires)
            .await
            .unwrap();
        if (250..400).contains(&i) {
            assert!(
                store
                    .use_session_token(&token, T0 - 1_000)
                    .await
                    .unwrap()
                    .is_some()
            );
        }
    }
}

async fn cleanup_deletes_exactly_the_stale_tokens_and_is_silent_otherwise(driver: Driver) {
    let db = TestDb::new(driver).await;
    let store = db.store.clone();
    seed(&store).await;
    let lines = Lines::default();
    let _guard = lines.capture();
    assert_eq!(session_cleanup::run_once(&store, 64, T0).await, 400);
    assert_eq!(store.count_session_tokens().await.unwrap(), 100);
    assert!(
        lines.text().contains("deleted stale session tokens")
            && lines.text().contains("deleted=400"),
        "{}",
        lines.text()
    );
    // Nothing left to delete: nothing said.
    lines.0.lock().unwrap().clear();
    assert_eq!(session_cleanup::run_once(&store, 64, T0).await, 0);
    assert_eq!(lines.text(), "", "silent when nothing was deleted");
    // The valid ones are what is left, still redeemable until they expire.
    assert!(
        store
            .use_session_token("hst_seed_0450", T0 + 1)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        session_cleanup::run_once(&store, 64, T0 + 2).await,
        1,
        "the one just used"
    );
    assert_eq!(
        session_cleanup::run_once(&store, 64, T0 + 90_001).await,
        99,
        "then the rest expire"
    );
}

async fn several_workers_cleaning_at_once_delete_each_row_once(driver: Driver) {
    let db = TestDb::new(driver).await;
    let store = db.store.clone();
    seed(&store).await;
    let runs = (0..4).map(|_| {
        let store = store.clone();
        tokio::spawn(async move { session_cleanup::run_once(&store, 25, T0).await })
    });
    let mut total = 0;
    for r in runs {
        total += r.await.unwrap();
    }
    assert_eq!(
        total, 400,
        "each stale row deleted once between the workers"
    );
    assert_eq!(store.count_session_tokens().await.unwrap(), 100);
}

#[tokio::test]
async fn cleanup_deletes_exactly_the_stale_tokens_and_is_silent_otherwise_postgres() {
    cleanup_deletes_exactly_the_stale_tokens_and_is_silent_otherwise(Driver::Postgres).await;
}

#[tokio::test]
async fn cleanup_deletes_exactly_the_stale_tokens_and_is_silent_otherwise_sqlite() {
    cleanup_deletes_exactly_the_stale_tokens_and_is_silent_otherwise(Driver::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_workers_cleaning_at_once_delete_each_row_once_postgres() {
    several_workers_cleaning_at_once_delete_each_row_once(Driver::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_workers_cleaning_at_once_delete_each_row_once_sqlite() {
    several_workers_cleaning_at_once_delete_each_row_once(Driver::Sqlite).await;
}
