import type { CommunityId } from '@shared/ydoc/docName';
import type { StoredRecord } from '@shared/ydoc/registry';
import { useRegistryValue } from '../../data/hooks';
import { useT } from '../../i18n';
import { yuan } from './data';
import { PrintFrame } from './PrintFrame';
import { feeLabel } from './VenueScreens';
import { readMeta } from '@shared/ydoc/registry';

/**
 * The project's contract (项目服务协议) made from the template: the parties, the project and the need it answers, the
 * term, the rent, the fee kind, the service commitments one by one, the community's rights (residents' rating, ending
 * the contract for broken commitments), and the signatures.
 */
export function ContractPrint({
  community,
  project,
  onClose,
}: {
  community: CommunityId;
  project: StoredRecord<'projects'>;
  onClose: () => void;
}) {
  const t = useT();
  const meta = useRegistryValue(community, readMeta);
  const contract = project.contract;
  if (contract === null) return null;
  const communityName = meta?.communityName || community;
  return (
    <PrintFrame
      fileName={t('resources.contract.fileName', { title: project.title })}
      onClose={onClose}
      testId="contract-page"
    >
      <h1>{t('resources.contract.heading')}</h1>
      <p>{t('resources.contract.partyA', { name: communityName })}</p>
      <p>
        {t('resources.contract.partyB', { name: contract.provider })}
        {contract.providerContact ? t('resources.inParens', { text: contract.providerContact }) : ''}
      </p>
      <h2>{t('resources.contract.art1')}</h2>
      <p>{t('resources.contract.art1Text', { title: project.title, need: project.need })}</p>
      <h2>{t('resources.contract.art2')}</h2>
      <p>
        {t('resources.contract.art2Text', {
          from: contract.from,
          to: contract.to,
          rent: yuan(contract.rent),
          fee: feeLabel(t, contract.fee),
        })}
      </p>
      <h2>{t('resources.contract.art3')}</h2>
      <ol data-testid="contract-commitments">
        {contract.commitments.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ol>
      <h2>{t('resources.contract.art4')}</h2>
      <p>{t('resources.contract.art4Text')}</p>
      <div className="cgw-rs-sign">
        <span>{t('resources.contract.signA')}</span>
        <span>{t('resources.contract.signB')}</span>
      </div>
      <p>{t('resources.contract.signedOn', { date: contract.signedOn })}</p>
    </PrintFrame>
  );
}
