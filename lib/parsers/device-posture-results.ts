import type { EcsDevice, EcsHost, NormalizedEvent, Outcome, RawRecord } from "../schema/event";
import { finish, newEvent, relate, setHost, setRule, setUser, type ParseContext } from "./build";
import { flag, text } from "./fields";

/** `device_posture_results` (reference §2.6): one posture check evaluated on a WARP device. */
export function normalizeDevicePostureResults(r: RawRecord, ctx: ParseContext): NormalizedEvent {
  const passed = flag(r.PostureEvaluatedResult);
  const outcome: Outcome = passed === undefined ? "unknown" : passed ? "success" : "failure";
  const ev = newEvent("device_posture_results", r.Timestamp, { category: ["host"], type: ["info"], action: "posture-check", outcome }, ctx);
  setUser(ev, r.Email, r.UserUID);
  setHost(ev, r.DeviceID, r.DeviceName);
  const family = text(r.DeviceType);
  const version = text(r.OSVersion);
  if (family !== undefined || version !== undefined) {
    const os: NonNullable<EcsHost["os"]> = {};
    if (family !== undefined) os.family = family;
    if (version !== undefined) os.version = version;
    (ev.host ??= {}).os = os;
  }
  const device = deviceOf(r);
  if (device !== undefined) ev.device = device;
  relate(ev.related.hosts, device?.serial_number);
  const client = text(r.ClientVersion);
  if (client !== undefined) ev.user_agent = { version: client };
  // The check is the rule the device was held to, as in Elastic's mapping.
  setRule(ev, r.PolicyID, r.PostureCheckName, r.PostureCheckType);
  return finish(ev, { device_posture_results: r }, ctx);
}

function deviceOf(r: RawRecord): EcsDevice | undefined {
  const id = text(r.DeviceID);
  const manufacturer = text(r.DeviceManufacturer);
  const serial = text(r.DeviceSerialNumber);
  const model = text(r.DeviceModel);
  if (id === undefined && manufacturer === undefined && serial === undefined && model === undefined) return undefined;
  const device: EcsDevice = {};
  if (id !== undefined) device.id = id;
  if (manufacturer !== undefined) device.manufacturer = manufacturer;
  if (serial !== undefined) device.serial_number = serial;
  if (model !== undefined) device.model = { name: model };
  return device;
}
