import Foundation
import Hummingbird

/// `GET /openapi.yaml`: the service's committed OpenAPI document (or, at another
/// path, another committed document such as timesheet's `/asyncapi.yaml`), read
/// once at start so a missing resource stops the service instead of a later request.
public struct OpenAPIRoute<Context: RequestContext>: Sendable {
    let document: ByteBuffer
    let path: String

    /// - Parameters:
    ///   - url: the service's bundled document (`Bundle.module.resource("openapi.yaml")`).
    ///   - path: where it is served.
    public init(document url: URL, path: String = "openapi.yaml") throws {
        document = ByteBuffer(bytes: try Data(contentsOf: url))
        self.path = path
    }

    public func addRoutes(to router: Router<Context>) {
        router.get(RouterPath(path)) { [document] _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: ResponseBody(byteBuffer: document))
        }
    }
}
