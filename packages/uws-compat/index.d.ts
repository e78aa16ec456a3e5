import * as uws from "uws-pack";

export * from "uws-pack";
export default uws;
