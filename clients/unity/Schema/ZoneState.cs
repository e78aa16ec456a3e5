// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace ColyseusMmo.Schema {
	public partial class ZoneState : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public ZoneState() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string zoneId = default(string);

		[global::Colyseus.Schema.Type(1, "uint16")]
		public ushort tick = default(ushort);

		[global::Colyseus.Schema.Type(2, "map", typeof(global::Colyseus.Schema.MapSchema<Entity>))]
		public global::Colyseus.Schema.MapSchema<Entity> entities = new global::Colyseus.Schema.MapSchema<Entity>();
	}
}
