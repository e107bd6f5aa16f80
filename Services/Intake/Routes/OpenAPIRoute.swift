import Foundation
import Hummingbird

/// `GET /openapi.yaml`: the committed description of these routes.
struct OpenAPIRoute<Context: RequestContext>: Sendable {
    let document: ByteBuffer

    init(url: URL) throws {
        document = ByteBuffer(bytes: try Data(contentsOf: url))
    }

    func addRoutes(to router: Router<Context>) {
        router.get("openapi.yaml") { [document] _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: ResponseBody(byteBuffer: document))
        }
    }
}
