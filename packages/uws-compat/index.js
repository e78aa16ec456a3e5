// @colyseus/uwebsockets-transport does `import uWebSockets from "uWebSockets.js"`; uws-pack only
// has named exports.
import * as uws from "uws-pack";

export * from "uws-pack";
export default uws;
