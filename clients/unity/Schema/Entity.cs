// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace ColyseusMmo.Schema {
	public partial class Entity : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public Entity() { }

		[global::Colyseus.Schema.Type(0, "uint8")]
		public byte kind = default(byte);

		[global::Colyseus.Schema.Type(1, "string")]
		public string name = default(string);

		[global::Colyseus.Schema.Type(2, "string")]
		public string templateId = default(string);

		[global::Colyseus.Schema.Type(3, "int16")]
		public short x = default(short);

		[global::Colyseus.Schema.Type(4, "int16")]
		public short y = default(short);

		[global::Colyseus.Schema.Type(5, "quantized", QuantizeMin = -381, QuantizeMax = 381, QuantizeBits = 8, QuantizeWrap = false)]
		public double vx = default(double);

		[global::Colyseus.Schema.Type(6, "quantized", QuantizeMin = -381, QuantizeMax = 381, QuantizeBits = 8, QuantizeWrap = false)]
		public double vy = default(double);

		[global::Colyseus.Schema.Type(7, "uint8")]
		public byte posTick = default(byte);

		[global::Colyseus.Schema.Type(8, "quantized", QuantizeMin = 0, QuantizeMax = 6.283185307179586, QuantizeBits = 8, QuantizeWrap = true)]
		public double dir = default(double);

		[global::Colyseus.Schema.Type(9, "uint8")]
		public byte hpRatio = default(byte);

		[global::Colyseus.Schema.Type(10, "uint8")]
		public byte level = default(byte);
	}
}
