public import Hummingbird

/// The request context of the sync API. Bodies are read by ``RequestBodyReader``
/// with the configured limit, so the framework's own upload limit is not used.
public struct SyncRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }
}
