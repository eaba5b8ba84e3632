//! One-time session tokens: hashed at rest, redeemed exactly once even when many redeem at
//! once, refused when expired or unknown.

use super::*;

conformance!(
    a_session_token_is_redeemed_once_under_concurrent_redeems,
    |store: Store| async move {
        let (user, _) = user_and_project(&store, Tier::Free).await;
        let token = store
            .issue_session_token(user.id, T0, T0 + 90_000)
            .await
            .unwrap();
        let token = token.expose().to_owned();
        assert!(token.starts_with("hst_") && token.len() > 40);
        let redeems = (0..16).map(|_| {
            let store = store.clone();
            let token = token.clone();
            tokio::spawn(async move { store.use_session_token(&token, T0 + 1_000).await.unwrap() })
        });
        let results = futures_join(redeems.collect()).await;
        let winners: Vec<_> = results.iter().filter(|r| r.is_some()).collect();
        assert_eq!(winners.len(), 1, "{results:?}");
        assert_eq!(winners[0], &Some(user.id));
        assert_eq!(
            store
                .session_token_refusal(&token, T0 + 1_000)
                .await
                .unwrap(),
            "used"
        );
    }
);

conformance!(
    expired_and_unknown_session_tokens_are_refused_and_only_hashes_are_stored,
    |store: Store| async move {
        let (user, _) = user_and_project(&store, Tier::Free).await;
        let token = store
            .issue_session_token(user.id, T0, T0 + 60_000)
            .await
            .unwrap();
        let token = token.expose().to_owned();
        assert!(
            store
                .use_session_token(&token, T0 + 60_001)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            store
                .session_token_refusal(&token, T0 + 60_001)
                .await
                .unwrap(),
            "expired"
        );
        assert!(
            store
                .use_session_token("hst_nope", T0)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            store.session_token_refusal("hst_nope", T0).await.unwrap(),
            "unknown"
        );
        // The cleanup takes the expired token.
        assert_eq!(
            store
                .delete_stale_session_tokens(T0 + 60_001, 10)
                .await
                .unwrap(),
            1
        );
    }
);

async fn futures_join<T: Send + 'static>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}
