//! Users, projects, members, API keys and session tokens.

use super::*;

conformance!(users_projects_and_members, |store: Store| async move {
    let (user, project) = user_and_project(&store, Tier::Pro).await;
    assert_eq!(store.user(user.id).await.unwrap().unwrap(), user);
    assert_eq!(store.project(project.id).await.unwrap().unwrap(), project);
    assert_eq!(
        store.member_role(project.id, user.id).await.unwrap(),
        Some(Role::Owner)
    );
    let other = store
        .create_user("viewer@example.com", Tier::Free, T0)
        .await
        .unwrap();
    assert_eq!(store.member_role(project.id, other.id).await.unwrap(), None);
    store
        .add_member(project.id, other.id, Role::Viewer, T0)
        .await
        .unwrap();
    assert_eq!(
        store.member_role(project.id, other.id).await.unwrap(),
        Some(Role::Viewer)
    );
    assert!(store.set_user_tier(other.id, Tier::Premium).await.unwrap());
    assert_eq!(
        store.user(other.id).await.unwrap().unwrap().tier,
        Tier::Premium
    );
});

conformance!(
    duplicate_email_and_dangling_owner_are_refused,
    |store: Store| async move {
        let (user, _) = user_and_project(&store, Tier::Free).await;
        let e = store
            .create_user(&user.email, Tier::Free, T0)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Constraint(_)), "{e:?}");
        let ghost = hivesync_core::ids::UserId::new_random();
        let e = store
            .create_project(ghost, "x", true, T0)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Constraint(_)), "{e:?}");
    }
);

conformance!(
    api_keys_authenticate_until_revoked,
    |store: Store| async move {
        let (user, _) = user_and_project(&store, Tier::Pro).await;
        let key = store
            .create_api_key(user.id, "ci", hivesync_store::accounts::Scope::Client, T0)
            .await
            .unwrap();
        let owner = store
            .authenticate_api_key(key.plaintext.expose(), T0)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(owner.user, user);
        assert_eq!(owner.scope, hivesync_store::accounts::Scope::Client);
        assert!(
            store
                .authenticate_api_key("hsk_wrong", T0)
                .await
                .unwrap()
                .is_none()
        );
        assert!(store.authenticate_api_key("", T0).await.unwrap().is_none());
        assert!(store.revoke_api_key(key.id, T0).await.unwrap());
        assert!(
            store
                .authenticate_api_key(key.plaintext.expose(), T0)
                .await
                .unwrap()
                .is_none()
        );
    }
);

conformance!(
    session_token_cleanup_deletes_expired_and_used_in_batches,
    |store: Store| async move {
        let (user, _) = user_and_project(&store, Tier::Free).await;
        for i in 0..5 {
            store
                .create_session_token(user.id, &format!("expired-{i}"), T0, T0 + 1_000)
                .await
                .unwrap();
        }
        store
            .create_session_token(user.id, "used", T0, T0 + 120_000)
            .await
            .unwrap();
        store
            .create_session_token(user.id, "fresh", T0, T0 + 120_000)
            .await
            .unwrap();
        let now = T0 + 60_000;
        assert_eq!(
            store.use_session_token("used", now).await.unwrap(),
            Some(user.id)
        );
        assert_eq!(
            store.use_session_token("used", now).await.unwrap(),
            None,
            "one-time"
        );
        assert_eq!(
            store.use_session_token("expired-0", now).await.unwrap(),
            None,
            "expired"
        );
        assert_eq!(store.delete_stale_session_tokens(now, 4).await.unwrap(), 4);
        assert_eq!(store.delete_stale_session_tokens(now, 4).await.unwrap(), 2);
        assert_eq!(store.delete_stale_session_tokens(now, 4).await.unwrap(), 0);
        assert_eq!(
            store.count_session_tokens().await.unwrap(),
            1,
            "only the fresh token is left"
        );
    }
);

conformance!(
    an_api_key_sees_a_project_while_valid_and_a_member,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        let key = store
            .create_api_key(user.id, "k", hivesync_store::accounts::Scope::Client, T0)
            .await
            .unwrap();
        assert_eq!(
            store
                .api_key_sees_project(key.id, project.id)
                .await
                .unwrap(),
            Some(true)
        );
        assert!(store.remove_member(project.id, user.id).await.unwrap());
        assert_eq!(
            store
                .api_key_sees_project(key.id, project.id)
                .await
                .unwrap(),
            Some(false)
        );
        assert!(store.revoke_api_key(key.id, T0 + 1).await.unwrap());
        assert_eq!(
            store
                .api_key_sees_project(key.id, project.id)
                .await
                .unwrap(),
            None
        );
    }
);
