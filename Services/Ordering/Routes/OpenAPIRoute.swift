import Foundation
import Hummingbird

/// Serves the committed OpenAPI document, read once at start.
struct OpenAPIRoute<Context: RequestContext>: Sendable {
    let document: ByteBuffer

    init() throws {
        let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml")!
        document = ByteBuffer(bytes: try Data(contentsOf: url))
    }

    var collection: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: ResponseBody(byteBuffer: document))
        }
        return routes
    }
}
