/**
 * The resource appIds the Conditional Access app groups cover, for an engine that must not depend on the local
 * tenant (a copy of the `office365` / `adminPortal` flags of `src/tenant/seed/well-known.ts`; the test
 * `well-known-apps.test.ts` keeps the two in step).
 */
import type { ApplicationCatalogue } from './types.ts';

/** Members of the `Office365` suite known here (ca/reference-office-365-application-contents.md). */
export const OFFICE_365_APP_IDS: readonly string[] = [
  '00000006-0000-0ff1-ce00-000000000000', // Microsoft Office 365 Portal
  '00000002-0000-0ff1-ce00-000000000000', // Office 365 Exchange Online
  '00000007-0000-0ff1-ce00-000000000000', // Microsoft Exchange Online Protection
  '00000003-0000-0ff1-ce00-000000000000', // Office 365 SharePoint Online
  'ab9b8c07-8f02-4f72-87fa-80105867a763', // OneDrive SyncEngine
  'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', // Microsoft Teams Services
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264', // Microsoft Teams
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', // Microsoft Teams Web Client
  '00000004-0000-0ff1-ce00-000000000000', // Skype for Business Online
  '00000005-0000-0ff1-ce00-000000000000', // Yammer
  'c9a559d2-7aab-4f13-a6ed-e7e9c52aec87', // Microsoft Forms
  'cf53fce8-def6-4aeb-8d30-b158e7b1cf83', // Microsoft Stream Portal
  '95de633a-083e-42f5-b444-a4295d8e9314', // Microsoft Whiteboard Services
  '2d4d3d8e-2be3-4bef-9f87-7875a61c29de', // OneNote
  '905fcf26-4eb7-48a0-9ff0-8dcc7194b5ba', // Sway
  '94c63fef-13a3-47bc-8074-75af8c65887a', // Office Delve
  'd3590ed6-52b3-4102-aeff-aad2292ab01c', // Microsoft Office
  '4765445b-32c6-49b0-83e6-1d93765276ca', // OfficeHome
];

/** Members of `MicrosoftAdminPortals`: the portals, not the APIs behind them (ca-evaluation §2.5). */
export const ADMIN_PORTAL_APP_IDS: readonly string[] = [
  'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', // Azure Portal
  '00000006-0000-0ff1-ce00-000000000000', // Microsoft Office 365 Portal
  '497effe9-df71-4043-a8bb-14cf78c4b63b', // Exchange Admin Center
];

/** Windows Azure Service Management API: ARM, Azure portal and Entra admin center APIs (§2.5). */
export const AZURE_MANAGEMENT_APP_ID = '797f4846-ba00-4fd7-ba43-dac1f8f63013';

/**
 * What a policy that targets the Windows Azure Service Management API is enforced for (§2.5,
 * ca/concept-conditional-access-cloud-apps.md): Azure Resource Manager (the API itself), the Azure portal (which
 * also covers the Entra admin center), Azure Data Lake, Application Insights API and Log Analytics API.
 */
export const AZURE_MANAGEMENT_APP_IDS: readonly string[] = [
  AZURE_MANAGEMENT_APP_ID,
  'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', // Azure Portal
  'e9f49c6b-5ce5-44c8-925d-015017e9f7ad', // Azure Data Lake
  'f5c26e74-f226-4ae8-85f0-b4af0080ac9e', // Application Insights API
  'ca7f3f0b-7d91-482c-8e09-c5d840d0eac5', // Log Analytics API
];

export function defaultApplicationCatalogue(): ApplicationCatalogue {
  return {
    office365AppIds: OFFICE_365_APP_IDS,
    adminPortalAppIds: ADMIN_PORTAL_APP_IDS,
    azureManagementAppIds: AZURE_MANAGEMENT_APP_IDS,
  };
}
