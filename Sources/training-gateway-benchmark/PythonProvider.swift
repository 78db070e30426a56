/// The same provider in Python (grpcio, as the Python example's): the provider the issue measured
/// `ping` against. Bytes in, fixed bytes out, no generated code; exits when its standard input closes.
enum PythonProvider {
    static let script = #"""
        import sys
        from concurrent import futures
        import grpc

        STT_ANSWER = bytes([0x0A, 0x02]) + b"up"
        PONG = bytes([0x0A, 0x04]) + b"pong"

        def stt(request, context):
            if not any(key == "snet-model-path" for key, _ in context.invocation_metadata()):
                context.abort(grpc.StatusCode.FAILED_PRECONDITION, "no snet-model-path")
            return STT_ANSWER

        def ping(request, context):
            return PONG

        server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
        server.add_generic_rpc_handlers((
            grpc.method_handlers_generic_handler("service.ExampleService", {"stt": grpc.unary_unary_rpc_method_handler(stt)}),
            grpc.method_handlers_generic_handler("benchmark.Pinger", {"ping": grpc.unary_unary_rpc_method_handler(ping)}),
        ))
        server.add_insecure_port("127.0.0.1:" + sys.argv[1])
        server.start()
        sys.stdin.read()
        server.stop(0)
        """#
}
