import Hummingbird

/// `GET /v1/admin/notifications`: the outbox's deliveries and their state, for
/// operators (admin token), so that a delivery that keeps failing is seen.
/// Ids and kinds only, as in the payloads; and for the safeguarding audience
/// not even those: an admin manages no care records, and which abuse reports
/// exist is for safeguarding leads only, so those rows show kind, state and
/// webhook, without key or subject.
struct NotificationEndpoints: Sendable {
    let storage: any SyncStorage
    let settings: WebhookSettings
    let authenticator: AdminAuthenticator

    /// One listed delivery.
    struct Listed: Encodable {
        /// Nil for the safeguarding audience.
        var notification: OutboxNotification?
        var kind: String
        var audience: NotificationAudience
        var webhook: String
        var state: NotificationDelivery.State
        var attempts: Int
        var nextAttemptAt: Int64?
        var lastError: String?
        var deliveredAt: Int64?

        enum CodingKeys: String, CodingKey {
            case notification, kind, audience, webhook, state, attempts
            case nextAttemptAt = "next_attempt_at"
            case lastError = "last_error"
            case deliveredAt = "delivered_at"
        }
    }

    struct Listing: Encodable {
        var deliveries: [Listed]
    }

    func register(on registrar: RouteRegistrar<SyncRequestContext>) {
        registrar.on(.get, "/v1/admin/notifications") { request, _ in
            try authenticator.authenticate(request)
            let stateName = request.uri.queryParameters["state"].map(String.init)
            let state = try stateName.map { name in
                guard let state = NotificationDelivery.State(rawValue: name) else {
                    throw ServerError(
                        .invalidParameter, "state must be pending, failing or delivered", field: "state",
                        status: .badRequest)
                }
                return state
            }
            let limit = try SyncEndpoints.parameter(request, "limit", default: 500) as Int
            let deliveries = try await storage.notificationDeliveries(
                undeliveredOnly: state == .pending || state == .failing, limit: max(1, min(limit, 5_000)))
            let listed = deliveries.map { delivery in
                Listed(
                    notification: delivery.notification.audience == .safeguarding ? nil : delivery.notification,
                    kind: delivery.notification.kind, audience: delivery.notification.audience,
                    webhook: delivery.webhook, state: delivery.state(failingAfterAttempts: settings.failingAfterAttempts),
                    attempts: delivery.attempts, nextAttemptAt: delivery.nextAttemptAt, lastError: delivery.lastError,
                    deliveredAt: delivery.deliveredAt)
            }
            return try JSONResponse.encode(Listing(deliveries: listed.filter { state == nil || $0.state == state }))
        }
    }
}
