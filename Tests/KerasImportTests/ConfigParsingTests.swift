import Testing
@testable import Topiary

/// The pieces of the importer that read Keras's JSON, on hand-written configurations in both
/// Keras 2 and Keras 3 spellings.
@Suite struct ConfigParsingTests {
    func topology(_ json: String) throws -> ModelTopology {
        try ModelTopology(config: try JSONValue.parse(json))
    }

    @Test func parsesKeras2FunctionalInboundNodesAndSharedLayers() throws {
        let model = try topology(
            """
            {"class_name": "Functional", "config": {"name": "shared",
              "layers": [
                {"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_input_shape": [null, 4]}, "inbound_nodes": []},
                {"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 4},
                 "inbound_nodes": [[["x", 0, 0, {}]], [["d", 0, 0, {}]]]},
                {"class_name": "Add", "name": "sum", "config": {"name": "sum"}, "inbound_nodes": [[["d", 0, 0, {}], ["d", 1, 0, {}]]]}
              ],
              "input_layers": [["x", 0, 0]], "output_layers": [["sum", 0, 0]]}}
            """)
        #expect(model.calls.map { model.layers[$0.layer].name } == ["x", "d", "d", "sum"])
        #expect(model.calls[2].inputs == [TensorReference(layer: "d", call: 0, tensor: 0)])
        #expect(model.calls[3].inputs.map(\.call) == [0, 1])
        #expect(model.inputShapes["x"] == [4])
    }

    /// A Keras 2 Functional `enc` (Dense `d`) applied twice; Keras 2 numbers its calls from 1.
    static let keras2Nested = """
        {"class_name": "Functional", "config": {"name": "outer",
          "layers": [
            {"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_input_shape": [null, 4]}, "inbound_nodes": []},
            {"class_name": "Functional", "name": "enc", "config": {"name": "enc",
              "layers": [
                {"class_name": "InputLayer", "name": "i", "config": {"name": "i", "batch_input_shape": [null, 4]}, "inbound_nodes": []},
                {"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 4}, "inbound_nodes": [[["i", 0, 0, {}]]]}
              ],
              "input_layers": [["i", 0, 0]], "output_layers": [["d", 0, 0]]},
             "inbound_nodes": [[["x", 0, 0, {}]], [["enc", 1, 0, {}]]]},
            {"class_name": "Add", "name": "sum", "config": {"name": "sum"}, "inbound_nodes": [[["enc", 1, 0, {}], ["enc", 2, 0, {}]]]}
          ],
          "input_layers": [["x", 0, 0]], "output_layers": [["sum", 0, 0]]}}
        """

    @Test func inlinesANestedModelCalledTwiceWithPrefixedNames() throws {
        let model = try topology(Self.keras2Nested)
        #expect(model.calls.map { model.layers[$0.layer].name } == ["x", "enc/d", "enc/d", "sum"])
        #expect(model.calls[1].inputs == [TensorReference(layer: "x", call: 0, tensor: 0)])
        #expect(model.calls[2].inputs == [TensorReference(layer: "enc/d", call: 0, tensor: 0)])
        #expect(model.calls[3].inputs.map(\.call) == [0, 1])
        let dense = try #require(model.layers.first { $0.name == "enc/d" })
        #expect(dense.ownName == "d")
        #expect(dense.enclosing.map(\.name) == ["enc"])
        #expect(dense.enclosing.map(\.storedName) == ["functional"])
        #expect(dense.storedName == "dense")
    }

    @Test func refusesANestedModelCalledWithTheWrongNumberOfInputs() throws {
        let twoInputs = Self.keras2Nested.replacingOccurrences(
            of: #"[[["x", 0, 0, {}]], [["enc", 1, 0, {}]]]"#, with: #"[[["x", 0, 0, {}], ["x", 0, 0, {}]], [["enc", 1, 0, {}]]]"#)
        let error = #expect(throws: JSONParseError.self) { try topology(twoInputs) }
        #expect(error?.message == "nested model 'enc' takes 1 input but is called with 2")
    }

    @Test func parsesKeras3InboundNodesWithNestedArgumentLists() throws {
        let model = try topology(
            """
            {"class_name": "Functional", "config": {"name": "m",
              "layers": [
                {"class_name": "InputLayer", "name": "a", "config": {"name": "a", "batch_shape": [null, 3]}, "inbound_nodes": []},
                {"class_name": "Concatenate", "name": "c", "config": {"name": "c", "axis": -1},
                 "inbound_nodes": [{"args": [[{"class_name": "__keras_tensor__", "config": {"keras_history": ["a", 0, 0]}},
                                              {"class_name": "__keras_tensor__", "config": {"keras_history": ["a", 0, 0]}}]], "kwargs": {}}]}
              ],
              "input_layers": ["a", 0, 0], "output_layers": [["c", 0, 0]]}}
            """)
        #expect(model.calls.last?.inputs.count == 2)
        #expect(model.inputs == [TensorReference(layer: "a", call: 0, tensor: 0)])
    }

    @Test func orderCallsTopologicallyEvenWhenLayersAreListedOutOfOrder() throws {
        let model = try topology(
            """
            {"class_name": "Functional", "config": {"name": "m",
              "layers": [
                {"class_name": "Dense", "name": "late", "config": {"name": "late", "units": 2}, "inbound_nodes": [[["early", 0, 0, {}]]]},
                {"class_name": "Dense", "name": "early", "config": {"name": "early", "units": 2}, "inbound_nodes": [[["in", 0, 0, {}]]]},
                {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 2]}, "inbound_nodes": []}
              ],
              "input_layers": [["in", 0, 0]], "output_layers": [["late", 0, 0]]}}
            """)
        #expect(model.calls.map { model.layers[$0.layer].name } == ["in", "early", "late"])
    }

    @Test func reportsACycleOrADanglingReference() {
        #expect(throws: JSONParseError.self) {
            try topology(
                """
                {"class_name": "Functional", "config": {"name": "m",
                  "layers": [{"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 2}, "inbound_nodes": [[["ghost", 0, 0, {}]]]}],
                  "input_layers": [["d", 0, 0]], "output_layers": [["d", 0, 0]]}}
                """)
        }
    }

    @Test func keras2SequentialTakesItsInputShapeFromTheFirstLayer() throws {
        let model = try topology(
            """
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "Dense", "config": {"name": "input", "units": 3, "batch_input_shape": [null, 5]}}]}}
            """)
        #expect(model.layers.map(\.name) == ["input_1", "input"])
        #expect(model.inputShapes["input_1"] == [5])
    }

    @Test func refusesSubclassedModels() {
        let error = #expect(throws: JSONParseError.self) {
            try topology(#"{"class_name": "MyModel", "config": {}}"#)
        }
        #expect(error?.message.contains("subclassed") == true)
    }

    @Test func distinguishesJSONBooleansFromNumbers() throws {
        let value = try JSONValue.parse(#"{"a": 1, "b": true, "c": 0}"#)
        #expect(value["a"] == .number(1))
        #expect(value["b"] == .bool(true))
        #expect(value["c"] == .number(0))
    }

    @Test(arguments: [
        ("Dense", "dense"), ("Conv2D", "conv2d"), ("DepthwiseConv2D", "depthwise_conv2d"),
        ("SeparableConv1D", "separable_conv1d"), ("BatchNormalization", "batch_normalization"),
        ("ReLU", "re_lu"), ("PReLU", "p_re_lu"), ("GlobalAveragePooling2D", "global_average_pooling2d"),
        ("SimpleRNN", "simple_rnn"), ("GRU", "gru"), ("LSTM", "lstm"), ("UpSampling2D", "up_sampling2d"),
        ("ZeroPadding1D", "zero_padding1d"), ("LeakyReLU", "leaky_re_lu"), ("ELU", "elu"),
    ])
    func namesWeightGroupsAsKerasSnakeCasesClassNames(_ className: String, _ expected: String) {
        // Expected values are Python's keras.src.utils.naming.to_snake_case.
        #expect(VariablesWeightSource.snakeCase(className) == expected)
    }

    @Test func numbersRepeatedClassesInTheOrderOfTheModelsLayers() throws {
        var layers = try ["InputLayer", "Dense", "Dropout", "Dense", "Conv2D", "Dense"].enumerated().map {
            try LayerConfig(entry: .object(["class_name": .string($1), "config": .object(["name": .string("l\($0)")])]), index: $0)
        }
        ModelTopology.assignStoredNames(&layers)
        #expect(layers.map(\.storedName) == ["input_layer", "dense", "dropout", "dense_1", "conv2d", "dense_2"])
    }

    @Test func hardSigmoidDependsOnTheKerasVersion() {
        #expect(ActivationParser(keras2: true).named("hard_sigmoid", rank: 1) == .hardSigmoidKeras2)
        #expect(ActivationParser(keras2: false).named("hard_sigmoid", rank: 1) == .hardSigmoid)
        #expect(ActivationParser(keras2: false).named("softmax", rank: 3) == .softmax(axis: 2))
        #expect(ActivationParser(keras2: false).named("relu6", rank: 1) == .relu(negativeSlope: 0, maxValue: 6, threshold: 0))
        #expect(ActivationParser(keras2: false).named("my_custom", rank: 1) == nil)
        #expect(KerasImporter.isKeras2(version: "2.15.0", config: ""))
        #expect(!KerasImporter.isKeras2(version: "3.15.1", config: ""))
        #expect(!KerasImporter.isKeras2(version: nil, config: #"{"module": "keras"}"#))
    }

    @Test func readsPaddingPairsInEveryKerasSpelling() throws {
        func pairs(_ json: String, count: Int) throws -> [Pair] {
            let layer = try LayerConfig(
                entry: try JSONValue.parse(#"{"class_name": "ZeroPadding2D", "config": {"name": "p", "padding": \#(json)}}"#), index: 0)
            return try layer.pairs("padding", count: count)
        }
        #expect(try pairs("1", count: 2) == [Pair(1, 1), Pair(1, 1)])
        #expect(try pairs("[1, 2]", count: 2) == [Pair(1, 1), Pair(2, 2)])
        #expect(try pairs("[[1, 2], [0, 3]]", count: 2) == [Pair(1, 2), Pair(0, 3)])
        #expect(try pairs("[1, 2]", count: 1) == [Pair(1, 2)])
        #expect(throws: LayerConfig.OptionError.self) { try pairs("[[1, 2, 3], [0, 3]]", count: 2) }
    }

    @Test func resolvesKerasAxesCountingTheBatchAxis() throws {
        #expect(try LayerTranslator.axis(-1, rank: 3) == 2)
        #expect(try LayerTranslator.axis(1, rank: 3) == 0)
        #expect(try LayerTranslator.axis(3, rank: 3) == 2)
        #expect(throws: LayerConfig.OptionError.self) { try LayerTranslator.axis(0, rank: 3) }
        #expect(throws: LayerConfig.OptionError.self) { try LayerTranslator.axis(4, rank: 3) }
    }
}
