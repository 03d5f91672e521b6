/**
 * Photos and files of task reports (shared/domain/tasks/files.ts): stored beside the task, named by `file:<id>`, read
 * back only when well formed and of that task; refused for an unknown task, without the permission, or too big.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { MAX_TASK_FILE_CHARS, readTaskFile, storeTaskFile, taskFilesMap } from '@shared/domain/tasks/files';
import { publishTask } from '@shared/domain/tasks/commands';
import { readTaskAudit } from '@shared/ydoc/tasks';
import { community, env, errorOf, street, template, unwrap } from './fixtures';

const PHOTO = { name: '现场.jpg', type: 'image/jpeg', data: 'data:image/jpeg;base64,/9j/4AAQ' };

function published() {
  const doc = new Y.Doc();
  const [taskId] = unwrap(
    publishTask(doc, street(), { template: template(), community: 'xihe', periods: ['2026'] }, env),
  );
  if (taskId === undefined) throw new Error('nothing published');
  return { doc, taskId };
}

describe('task files', () => {
  it('stores a file for a task and reads it back by its reference, with an audit entry', () => {
    const { doc, taskId } = published();
    const ref = unwrap(storeTaskFile(doc, community(), { taskId, ...PHOTO }));
    expect(ref).toMatch(/^file:/);
    expect(readTaskFile(doc, ref)).toMatchObject({ ...PHOTO, taskId, addedBy: '社区干部' });
    expect(readTaskAudit(doc).at(-1)).toMatchObject({ action: 'storeTaskFile', recordId: taskId });
    expect(readTaskFile(doc, 'file:nothing')).toBeNull();
    expect(readTaskFile(doc, 'photo.jpg')).toBeNull();
  });

  it('refuses an unknown task, a viewer and a file over the bound', () => {
    const { doc, taskId } = published();
    expect(errorOf(storeTaskFile(doc, community(), { taskId: 'nope', ...PHOTO }))).toMatchObject({ code: 'not-found' });
    expect(errorOf(storeTaskFile(doc, street(), { taskId, ...PHOTO })).code).toBe('permission-denied');
    const big = { ...PHOTO, data: `data:image/jpeg;base64,${'A'.repeat(MAX_TASK_FILE_CHARS)}` };
    expect(errorOf(storeTaskFile(doc, community(), { taskId, ...big })).code).toBe('too-long');
    expect(taskFilesMap(doc).size).toBe(0);
  });

  it('leaves out an entry that does not fit what the command writes', () => {
    const { doc, taskId } = published();
    taskFilesMap(doc).set('x', {
      id: 'x',
      taskId,
      name: 'a',
      type: 'text/plain',
      data: 'javascript:alert(1)',
    } as never);
    taskFilesMap(doc).set('y', {
      id: 'other',
      taskId,
      name: 'a',
      type: 'image/png',
      data: 'data:,',
      addedAt: '',
      addedBy: '',
    });
    expect(readTaskFile(doc, 'file:x')).toBeNull();
    expect(readTaskFile(doc, 'file:y')).toBeNull();
  });
});
