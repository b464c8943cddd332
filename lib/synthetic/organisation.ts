import { Random } from "./random";

/**
 * The people, places, websites and applications of a synthetic organisation, for the normal-traffic
 * generator. Category ids and names are Cloudflare's (domain-categories reference: parent category,
 * then subcategory, as Gateway logs them); site addresses sit in the providers' real ranges.
 */

export type Department = "engineering" | "sales" | "finance" | "support" | "marketing" | "people" | "it";

export interface Place {
  /** ISO 3166 alpha-2, upper case as Gateway writes it (Access writes it lower case). */
  country: string;
  /** Hours from UTC. */
  tz: number;
  /** The public address the user's traffic leaves from. */
  ip: string;
}

export interface Person {
  index: number;
  email: string;
  userId: string;
  deviceId: string;
  deviceName: string;
  os: "mac" | "windows";
  /** The WARP client's CGNAT address. */
  warpIp: string;
  department: Department;
  home: Place;
  /** Local minutes of the day the working day starts and ends. */
  workStart: number;
  workEnd: number;
  /** Checks mail and chat in the evening too. */
  evening: boolean;
}

interface CountryProfile {
  code: string;
  tz: number;
  weight: number;
  office: string;
}

const COUNTRIES: readonly CountryProfile[] = [
  { code: "US", tz: -5, weight: 38, office: "203.0.113.10" },
  { code: "US", tz: -8, weight: 12, office: "203.0.113.11" },
  { code: "GB", tz: 1, weight: 14, office: "203.0.113.20" },
  { code: "DE", tz: 2, weight: 12, office: "203.0.113.30" },
  { code: "FR", tz: 2, weight: 6, office: "203.0.113.40" },
  { code: "IN", tz: 5.5, weight: 10, office: "203.0.113.50" },
  { code: "JP", tz: 9, weight: 5, office: "203.0.113.60" },
  { code: "BR", tz: -3, weight: 3, office: "203.0.113.70" },
];

const DEPARTMENTS: ReadonlyArray<readonly [Department, number]> = [
  ["engineering", 30],
  ["sales", 20],
  ["support", 15],
  ["finance", 10],
  ["marketing", 10],
  ["people", 6],
  ["it", 9],
];

const FIRST = ["ana", "ben", "chen", "dana", "eli", "fatima", "george", "hana", "ivan", "julia", "kofi", "lena", "marco", "nadia", "omar", "priya", "quentin", "rosa", "sven", "tara", "umar", "vera", "wei", "yara", "zoe", "lucas", "maya", "noah", "olga", "pablo"];
const LAST = ["okafor", "doe", "tanaka", "silva", "nowak", "martin", "ivanova", "kumar", "berg", "haddad", "smith", "garcia", "muller", "rossi", "kim", "nguyen", "dubois", "sato", "costa", "novak", "patel", "jensen", "murphy", "schmidt", "lopez", "weber", "santos", "ito", "brown", "khan"];

export const DOMAIN = "example.org";

/** `count` people, the same for the same seed. */
export function people(count: number, seed: number): Person[] {
  const rnd = new Random(seed);
  const taken = new Set<string>();
  const out: Person[] = [];
  for (let index = 0; index < count; index++) {
    const first = rnd.pick(FIRST);
    const last = rnd.pick(LAST);
    let local = `${first}.${last}`;
    for (let n = 2; taken.has(local); n++) local = `${first}.${last}${n}`;
    taken.add(local);
    const country = rnd.weighted(COUNTRIES, (c) => c.weight);
    const os = rnd.chance(0.55) ? "mac" : "windows";
    const remote = rnd.chance(0.4);
    out.push({
      index,
      email: `${local}@${DOMAIN}`,
      userId: rnd.uuid(),
      deviceId: rnd.uuid(),
      deviceName: `${first[0]}${last}`.toUpperCase().slice(0, 10) + (os === "mac" ? "-MBP" : "-LT") + rnd.between(10, 99),
      os,
      warpIp: `100.96.${index >> 8}.${index & 0xff}`,
      department: rnd.weighted(DEPARTMENTS, (d) => d[1])[0],
      home: { country: country.code, tz: country.tz, ip: remote ? `198.51.100.${rnd.between(1, 254)}` : country.office },
      workStart: rnd.between(7 * 60, 10 * 60),
      workEnd: rnd.between(16 * 60 + 30, 19 * 60),
      evening: rnd.chance(0.2),
    });
  }
  return out;
}

/** Where a traveller lands: a hotel or a customer's network abroad. */
export function abroad(rnd: Random, home: string): Place {
  const c = rnd.weighted(COUNTRIES.filter((x) => x.code !== home), (x) => x.weight);
  return { country: c.code, tz: c.tz, ip: `192.0.2.${rnd.between(1, 254)}` };
}

export interface Category {
  ids: number[];
  names: string[];
}

const cat = (parentId: number, parent: string, subId: number, sub: string): Category => ({ ids: [parentId, subId], names: [parent, sub] });

export const CATEGORIES = {
  search: cat(26, "Technology", 145, "Search Engines"),
  technology: cat(26, "Technology", 155, "Technology"),
  apis: cat(26, "Technology", 69, "APIs"),
  it: cat(26, "Technology", 109, "Information Technology"),
  cdn: cat(26, "Technology", 81, "Content Servers"),
  fileSharing: cat(26, "Technology", 95, "File Sharing"),
  webmail: cat(12, "Internet Communication", 168, "Webmail"),
  chat: cat(12, "Internet Communication", 77, "Chat"),
  messengers: cat(12, "Internet Communication", 110, "Instant Messengers"),
  voip: cat(12, "Internet Communication", 111, "Internet Phone & VOIP"),
  forums: cat(12, "Internet Communication", 98, "Forums"),
  login: cat(15, "Miscellaneous", 115, "Login Screens"),
  business: cat(3, "Business & Economy", 75, "Business"),
  finance: cat(3, "Business & Economy", 89, "Economy & Finance"),
  networking: cat(24, "Society & Lifestyle", 136, "Professional Networking"),
  social: cat(24, "Society & Lifestyle", 149, "Social Networks"),
  video: cat(7, "Entertainment", 164, "Video Streaming"),
  news: cat(7, "Entertainment", 122, "News & Media"),
  shopping: cat(22, "Shopping & Auctions", 88, "Ecommerce"),
  education: cat(6, "Education", 90, "Education"),
  weather: cat(30, "Weather", 167, "Weather"),
  sports: cat(25, "Sports", 152, "Sports"),
  travel: cat(27, "Travel", 160, "Travel"),
  ads: cat(1, "Ads", 66, "Advertisements"),
  gambling: cat(8, "Gambling", 99, "Gambling"),
  newlySeen: cat(32, "Security Risks", 177, "Newly Seen Domains"),
} as const;

export interface Site {
  host: string;
  category: Category;
  ips: readonly string[];
  /** How often people visit it, relative to the others. */
  weight: number;
  /** Departments that visit it much more (×5). */
  favoured?: readonly Department[];
  /** The Gateway HTTP policy that blocks it, for the few blocked sites. */
  blockedBy?: string;
  paths: readonly string[];
  /** The user agent of the desktop application most requests come from, if not a browser. */
  agent?: string;
}

const p = (...paths: string[]) => paths;

export const SITES: readonly Site[] = [
  { host: "www.google.com", category: CATEGORIES.search, ips: ["142.250.72.4", "142.250.72.36", "142.250.190.68"], weight: 30, paths: p("/search?q=quarterly+plan", "/search?q=typescript+generics", "/complete/search?q=we", "/") },
  { host: "www.googleapis.com", category: CATEGORIES.apis, ips: ["142.250.72.10", "142.250.190.74"], weight: 10, paths: p("/oauth2/v3/userinfo", "/drive/v3/files?pageSize=50", "/calendar/v3/users/me/calendarList") },
  { host: "mail.google.com", category: CATEGORIES.webmail, ips: ["142.250.72.5", "142.250.190.69"], weight: 18, paths: p("/mail/u/0/", "/sync/u/0/i/s?hl=en", "/mail/u/0/?ui=2") },
  { host: "drive.google.com", category: CATEGORIES.fileSharing, ips: ["142.250.72.14"], weight: 6, paths: p("/drive/my-drive", "/drive/folders/1xQ", "/file/d/1aB/view") },
  { host: "login.microsoftonline.com", category: CATEGORIES.login, ips: ["20.190.151.9", "20.190.151.68"], weight: 5, paths: p("/common/oauth2/v2.0/authorize", "/common/login") },
  { host: "outlook.office365.com", category: CATEGORIES.webmail, ips: ["52.96.165.2", "52.96.88.114"], weight: 14, paths: p("/mail/", "/owa/service.svc?action=GetItem", "/calendar/view/week") },
  { host: "teams.microsoft.com", category: CATEGORIES.messengers, ips: ["52.113.194.132", "52.113.194.133"], weight: 12, paths: p("/api/chatsvc/amer/v1/users/ME/conversations", "/_#/conversations") },
  { host: "slack.com", category: CATEGORIES.chat, ips: ["3.93.113.49", "54.159.90.178"], weight: 22, paths: p("/api/conversations.history", "/api/users.counts", "/api/client.counts", "/api/chat.postMessage"), agent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.41.105 Chrome/128.0.6613.186 Electron/32.2.5 Safari/537.36 Sonic Slack_SSB/4.41.105" },
  { host: "zoom.us", category: CATEGORIES.voip, ips: ["170.114.52.2", "170.114.52.66"], weight: 4, paths: p("/wc/join/84612", "/signin", "/j/84612390112") },
  { host: "github.com", category: CATEGORIES.it, ips: ["140.82.112.3", "140.82.112.4"], weight: 6, favoured: ["engineering", "it"], paths: p("/", "/acme/platform/pulls", "/acme/platform/actions", "/acme/web/blob/main/README.md") },
  { host: "api.github.com", category: CATEGORIES.it, ips: ["140.82.112.6"], weight: 3, favoured: ["engineering"], paths: p("/repos/acme/platform/pulls?state=open", "/notifications") },
  { host: "registry.npmjs.org", category: CATEGORIES.it, ips: ["104.16.24.35", "104.16.27.35"], weight: 2, favoured: ["engineering"], paths: p("/typescript", "/@types%2fnode", "/mocha/-/mocha-10.8.2.tgz") },
  { host: "pypi.org", category: CATEGORIES.it, ips: ["151.101.0.223", "151.101.64.223"], weight: 1, favoured: ["engineering"], paths: p("/simple/requests/", "/pypi/urllib3/json") },
  { host: "stackoverflow.com", category: CATEGORIES.forums, ips: ["104.18.32.7"], weight: 3, favoured: ["engineering", "it"], paths: p("/questions/1234567/how-to-type-a-generic", "/questions/tagged/typescript") },
  { host: "acme.atlassian.net", category: CATEGORIES.it, ips: ["13.35.18.41", "13.35.18.92"], weight: 10, favoured: ["engineering", "support", "it"], paths: p("/jira/software/projects/PLAT/boards/12", "/wiki/spaces/ENG/pages/4411", "/rest/api/3/search") },
  { host: "acme.my.salesforce.com", category: CATEGORIES.business, ips: ["13.108.238.140"], weight: 3, favoured: ["sales", "support"], paths: p("/lightning/o/Opportunity/list", "/lightning/r/Account/0015e/view", "/services/data/v59.0/query") },
  { host: "app.hubspot.com", category: CATEGORIES.business, ips: ["104.16.117.116"], weight: 1, favoured: ["marketing", "sales"], paths: p("/contacts/4411/objects/0-1/views/all/list", "/reports-dashboard/4411") },
  { host: "wd5.myworkday.com", category: CATEGORIES.business, ips: ["198.51.100.210"], weight: 1, favoured: ["people", "finance"], paths: p("/acme/d/home.htmld", "/acme/d/task/2997$1.htmld") },
  { host: "www.linkedin.com", category: CATEGORIES.networking, ips: ["13.107.42.14"], weight: 5, favoured: ["sales", "people", "marketing"], paths: p("/feed/", "/in/someone/", "/sales/search/people") },
  { host: "www.youtube.com", category: CATEGORIES.video, ips: ["142.250.72.14", "142.250.190.78"], weight: 4, paths: p("/watch?v=dQw4w9WgXcQ", "/results?search_query=conference+talk", "/") },
  { host: "www.bbc.co.uk", category: CATEGORIES.news, ips: ["151.101.0.81", "151.101.64.81"], weight: 4, paths: p("/news", "/news/business", "/weather") },
  { host: "www.nytimes.com", category: CATEGORIES.news, ips: ["151.101.1.164"], weight: 3, paths: p("/", "/section/technology") },
  { host: "www.amazon.com", category: CATEGORIES.shopping, ips: ["54.239.28.85"], weight: 3, paths: p("/", "/s?k=usb+c+hub", "/gp/cart/view.html") },
  { host: "en.wikipedia.org", category: CATEGORIES.education, ips: ["208.80.154.224"], weight: 3, paths: p("/wiki/Zero_trust_security_model", "/wiki/Special:Search?search=ISO+8601") },
  { host: "weather.com", category: CATEGORIES.weather, ips: ["23.50.120.21"], weight: 1, paths: p("/weather/today/l/USNY0996", "/") },
  { host: "www.espn.com", category: CATEGORIES.sports, ips: ["23.50.120.60"], weight: 1, paths: p("/", "/nba/scoreboard") },
  { host: "www.booking.com", category: CATEGORIES.travel, ips: ["52.85.151.24"], weight: 1, favoured: ["sales"], paths: p("/searchresults.html?ss=Berlin", "/hotel/de/mitte.html") },
  { host: "www.dropbox.com", category: CATEGORIES.fileSharing, ips: ["162.125.1.18"], weight: 2, favoured: ["marketing", "sales"], paths: p("/home", "/scl/fi/4kx/brief.pdf") },
  { host: "d3kxbrt9qzplmw.cloudfront.net", category: CATEGORIES.cdn, ips: ["13.35.18.12", "13.35.18.77"], weight: 6, paths: p("/static/js/main.4f2a.js", "/assets/logo.svg", "/fonts/inter.woff2") },
  { host: "fonts.gstatic.com", category: CATEGORIES.cdn, ips: ["142.250.72.3"], weight: 6, paths: p("/s/inter/v13/UcC73FwrK3iLTeHuS_fvQtMwCp50KnMa1ZL7.woff2") },
  { host: "pagead2.googlesyndication.com", category: CATEGORIES.ads, ips: ["142.250.72.2"], weight: 3, blockedBy: "Block advertising", paths: p("/pagead/js/adsbygoogle.js", "/pagead/ads?client=ca-pub-1") },
  { host: "www.lucky-spins-casino.example", category: CATEGORIES.gambling, ips: ["192.0.2.210"], weight: 0.05, blockedBy: "Block gambling", paths: p("/", "/slots") },
  { host: "www.tradingview.com", category: CATEGORIES.finance, ips: ["104.18.1.5"], weight: 1, favoured: ["finance"], paths: p("/chart/", "/markets/") },
  { host: "www.notion.so", category: CATEGORIES.technology, ips: ["104.18.22.110"], weight: 4, paths: p("/acme/Roadmap-7f1c", "/api/v3/syncRecordValues") },
  { host: "www.figma.com", category: CATEGORIES.technology, ips: ["52.85.151.90"], weight: 2, favoured: ["marketing", "engineering"], paths: p("/file/Kx1/Design-system", "/api/files/Kx1") },
  // Newly seen, harmless: a start-up's site a salesperson researches. Pages, never executables.
  { host: "www.northwind-analytics.example", category: CATEGORIES.newlySeen, ips: ["192.0.2.150"], weight: 0.1, favoured: ["sales", "marketing"], paths: p("/", "/pricing", "/about") },
];

/** File-sharing endpoints uploads go to: (host, path, method). */
export const UPLOAD_TARGETS: ReadonlyArray<readonly [string, string, "POST" | "PUT"]> = [
  ["content.dropboxapi.com", "/2/files/upload", "POST"],
  ["www.googleapis.com", "/upload/drive/v3/files?uploadType=multipart", "POST"],
  ["upload.box.com", "/api/2.0/files/content", "POST"],
];

export interface AccessApp {
  domain: string;
  uuid: string;
  /** Departments entitled to it; everyone when absent. */
  entitled?: readonly Department[];
}

const appUuid = (n: number) => `6f1d2c3b-4a5e-4f60-8b7c-${String(n).padStart(12, "0")}`;

export const ACCESS_APPS: readonly AccessApp[] = [
  { domain: "wiki.example.org", uuid: appUuid(1) },
  { domain: "intranet.example.org", uuid: appUuid(2) },
  { domain: "grafana.example.org", uuid: appUuid(3), entitled: ["engineering", "it", "support"] },
  { domain: "jenkins.example.org", uuid: appUuid(4), entitled: ["engineering"] },
  { domain: "vault.example.org", uuid: appUuid(5), entitled: ["engineering", "it"] },
  { domain: "crm.example.org", uuid: appUuid(6), entitled: ["sales", "support", "marketing"] },
  { domain: "payroll.example.org", uuid: appUuid(7), entitled: ["finance", "people"] },
  { domain: "hr.example.org", uuid: appUuid(8), entitled: ["people"] },
  { domain: "expenses.example.org", uuid: appUuid(9) },
];

export const WARP_ENROLMENT = "acme-corp.cloudflareaccess.com/warp";

export function entitledTo(person: Person, app: AccessApp): boolean {
  return app.entitled === undefined || app.entitled.includes(person.department);
}

/** Groups SCIM pushes membership changes for: departments and everyday groups, none privileged. */
export const GROUPS: Readonly<Record<Department, string>> = {
  engineering: "Engineering",
  sales: "Sales",
  support: "Customer Support",
  finance: "Finance",
  marketing: "Marketing",
  people: "People Team",
  it: "IT Operations",
};

export const EVERYDAY_GROUPS = ["All Staff", "Project Phoenix", "London Office", "Berlin Office", "Book Club", "VPN Users"] as const;

export const USER_AGENTS = {
  mac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36",
  windows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36 Edg/134.0.0.0",
  /** What engineers' tools send: command-line clients and libraries. */
  scripted: ["curl/8.5.0", "python-requests/2.31.0", "Go-http-client/2.0", "Wget/1.21.4"],
} as const;
